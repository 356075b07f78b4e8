package org.opgate.ruletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

final class JUnitXmlTest {

    @TempDir
    Path dir;

    private Document doc;

    @BeforeEach
    void writeAndParseBack() throws Exception {
        Path config = TempConfig.write(dir, "cfg", TempConfig.CLASSES, TempConfig.POLICY);
        Path one = TempConfig.file(dir, "tests/one.yaml", """
                cases:
                  - {name: passes, host: gb.srp.example.com, port: 3101, expect: {class: BES}}
                  - {name: "fails <&> \\"quoted\\"", host: gb.srp.example.com, port: 443, expect: {class: BES}}
                """);
        Path two = TempConfig.file(dir, "tests/two.yaml", """
                cases:
                  - {name: also passes, ip: 192.0.2.1, port: 3101, expect: {rule: bes-net}}
                """);
        List<SuiteResult> results = SuiteLoader.load(List.of(one, two), config).stream().map(SuiteRunner::run).toList();
        Path xml = dir.resolve("out/junit.xml");

        JUnitXml.write(results, (suite, c) -> "details of " + c.testCase().name() + " <&>", xml);

        doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    @Test
    void aCaseNameWithControlCharactersStillMakesWellFormedXml() throws Exception {
        Path config = TempConfig.write(dir, "cfg2", TempConfig.CLASSES, null);
        Path suite = TempConfig.file(dir, "tests/bell.yaml", """
                cases:
                  - {name: "bell \\x07 escape \\e", host: gb.srp.example.com, port: 443, expect: {class: BES}}
                """);
        List<SuiteResult> results = SuiteLoader.load(List.of(suite), config).stream().map(SuiteRunner::run).toList();
        Path xml = dir.resolve("out/bell.xml");

        JUnitXml.write(results, (s, c) -> "what happened to " + c.testCase().name(), xml);

        Document parsed = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element tc = (Element) parsed.getElementsByTagName("testcase").item(0);
        assertThat(tc.getAttribute("name")).isEqualTo("bell \uFFFD escape \uFFFD");
        assertThat(tc.getElementsByTagName("failure").item(0).getTextContent())
                .isEqualTo("what happened to bell \uFFFD escape \uFFFD");
    }

    @Test
    void theRootCountsAllTestsAndFailures() {
        Element root = doc.getDocumentElement();

        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("3");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("errors")).isEqualTo("0");
    }

    @Test
    void eachSuiteFileIsATestsuiteWithItsCounts() {
        NodeList suites = doc.getElementsByTagName("testsuite");

        assertThat(suites.getLength()).isEqualTo(2);
        Element first = (Element) suites.item(0);
        assertThat(first.getAttribute("name")).endsWith("tests/one.yaml");
        assertThat(first.getAttribute("tests")).isEqualTo("2");
        assertThat(first.getAttribute("failures")).isEqualTo("1");
        assertThat(((Element) suites.item(1)).getAttribute("failures")).isEqualTo("0");
    }

    @Test
    void eachCaseIsATestcaseWithClassnameFileAndLine() {
        Element first = (Element) doc.getElementsByTagName("testcase").item(0);

        assertThat(first.getAttribute("name")).isEqualTo("passes");
        assertThat(first.getAttribute("classname")).endsWith("tests.one");
        assertThat(first.getAttribute("file")).endsWith("tests/one.yaml");
        assertThat(first.getAttribute("line")).isEqualTo("2");
        assertThat(first.getElementsByTagName("failure").getLength()).isZero();
    }

    @Test
    void aFailedCaseHasAFailureWithTheMismatchAndTheDetails() {
        Element failed = (Element) doc.getElementsByTagName("testcase").item(1);
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);

        assertThat(failed.getAttribute("name")).isEqualTo("fails <&> \"quoted\"");
        assertThat(failure.getAttribute("message")).isEqualTo("class: expected BES, got OTHER");
        assertThat(failure.getAttribute("type")).isEqualTo("expectation");
        assertThat(failure.getTextContent()).isEqualTo("details of fails <&> \"quoted\" <&>");
    }

    @Test
    void theConfigIsASuiteProperty() {
        Element property = (Element) doc.getElementsByTagName("property").item(0);

        assertThat(property.getAttribute("name")).isEqualTo("config");
        assertThat(property.getAttribute("value")).endsWith("cfg");
    }

    @Test
    void classnameDropsTheExtensionAndLeadingDirectoriesUp() {
        assertThat(JUnitXml.className("config/tests/bes-rules.yaml")).isEqualTo("config.tests.bes-rules");
        assertThat(JUnitXml.className("../x/a.yml")).isEqualTo("x.a");
    }
}
