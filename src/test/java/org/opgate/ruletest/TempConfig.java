package org.opgate.ruletest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small configs and suites into a test's temporary directory. */
final class TempConfig {

    /** One class file with BES (a host rule on 3101, a CIDR rule) and BBM, two operators, no policies yet. */
    static final String CLASSES = """
            classes:
              - name: BES
                rules:
                  - {id: bes-host, host: "*.srp.example.com", ports: [3101]}
                  - {id: bes-net, cidr: 192.0.2.0/24, ports: [3101]}
              - name: BBM
                rules:
                  - {id: bbm-app, host: "*.bbm.example.com", ports: [443, 8443]}
            """;

    /** BBM listed before BES, both on 3101: a flow with a BES host and a BBM SNI is BBM as a whole. */
    static final String BBM_FIRST = """
            classes:
              - name: BBM
                rules:
                  - {id: bbm-app, host: "*.bbm.example.com", ports: [3101]}
              - name: BES
                rules:
                  - {id: bes-host, host: "*.srp.example.com", ports: [3101]}
            """;

    /** BES notified from 1 Nov 2015 and blocked from 1 Dec 2015 00:00 PKT for every operator. */
    static final String POLICY = """
            policies:
              - id: bes-order
                class: BES
                zone: Asia/Karachi
                phases:
                  - {name: notice, from: 2015-11-01T00:00, action: notify}
                  - {name: deadline, from: 2015-12-01T00:00, action: block}
            """;

    private TempConfig() {
    }

    /** A config directory {@code dir/name} with the given class and policy files (policy may be null). */
    static Path write(Path dir, String name, String classes, String policies) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.writeString(root.resolve("c.yaml"), classes);
        StringBuilder main = new StringBuilder("classes: [c.yaml]\n");
        if (policies != null) {
            Files.writeString(root.resolve("p.yaml"), policies);
            main.append("policies: [p.yaml]\n");
        }
        main.append("""
                operators:
                  - {id: mobilink, pools: [10.1.0.0/16], msisdn-prefixes: ["9230"]}
                  - {id: ufone, pools: [10.2.0.0/16], msisdn-prefixes: ["9233"]}
                """);
        Files.writeString(root.resolve("opgate.yaml"), main.toString());
        return root;
    }

    static Path file(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }
}
