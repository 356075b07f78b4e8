package org.opgate.ruletest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes test results as JUnit XML, the format CI tools (Jenkins, GitLab, GitHub test reporters)
 * read: one {@code testsuite} per suite file, one {@code testcase} per case, and a
 * {@code failure} with the mismatches as its message and the details as its text.
 *
 * <pre>
 * &lt;testsuites name="opgate test" tests="3" failures="1" errors="0"&gt;
 *   &lt;testsuite name="config/tests/bes-rules.yaml" tests="3" failures="1" errors="0" skipped="0"&gt;
 *     &lt;properties&gt;&lt;property name="config" value="config"/&gt;&lt;/properties&gt;
 *     &lt;testcase name="…" classname="config.tests.bes-rules" file="config/tests/bes-rules.yaml" line="12"/&gt;
 *     &lt;testcase …&gt;&lt;failure type="expectation" message="class: expected BIS, got BES"&gt;…&lt;/failure&gt;&lt;/testcase&gt;
 * </pre>
 */
public final class JUnitXml {

    private JUnitXml() {
    }

    /**
     * @param details the text of a failure (what happened instead), for each failed case of a suite
     */
    public static void write(List<SuiteResult> results, BiFunction<TestSuite, CaseResult, String> details, Path file)
            throws IOException {
        Document doc = document(results, details);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            t.transform(new DOMSource(doc), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IOException("cannot write JUnit XML to " + file + ": " + e.getMessage(), e);
        }
    }

    static Document document(List<SuiteResult> results, BiFunction<TestSuite, CaseResult, String> details) {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's default XML builder is always available", e);
        }
        Element root = doc.createElement("testsuites");
        root.setAttribute("name", "opgate test");
        long tests = 0;
        long failures = 0;
        for (SuiteResult r : results) {
            tests += r.cases().size();
            failures += r.failed();
            Element suite = doc.createElement("testsuite");
            suite.setAttribute("name", xml(r.suite().file()));
            suite.setAttribute("tests", String.valueOf(r.cases().size()));
            suite.setAttribute("failures", String.valueOf(r.failed()));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", "0");
            Element props = doc.createElement("properties");
            Element config = doc.createElement("property");
            config.setAttribute("name", "config");
            config.setAttribute("value", xml(r.suite().configName()));
            props.appendChild(config);
            suite.appendChild(props);
            String className = className(r.suite().file());
            for (CaseResult c : r.cases()) {
                Element tc = doc.createElement("testcase");
                tc.setAttribute("name", xml(c.testCase().name()));
                tc.setAttribute("classname", xml(className));
                tc.setAttribute("file", xml(c.testCase().location().file()));
                tc.setAttribute("line", String.valueOf(c.testCase().location().line()));
                if (!c.passed()) {
                    Element failure = doc.createElement("failure");
                    failure.setAttribute("type", "expectation");
                    failure.setAttribute("message", xml(String.join("; ", c.mismatches().stream().map(Object::toString).toList())));
                    failure.setTextContent(xml(details.apply(r.suite(), c)));
                    tc.appendChild(failure);
                }
                suite.appendChild(tc);
            }
            root.appendChild(suite);
        }
        root.setAttribute("tests", String.valueOf(tests));
        root.setAttribute("failures", String.valueOf(failures));
        root.setAttribute("errors", "0");
        doc.appendChild(root);
        return doc;
    }

    /**
     * {@code text} with each character XML 1.0 cannot hold, even escaped (control characters a YAML
     * name can carry as {@code "\x07"}), replaced by U+FFFD, so every CI tool can parse the file.
     */
    static String xml(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> sb.appendCodePoint(cp == '\t' || cp == '\n' || cp == '\r'
                || cp >= 0x20 && cp <= 0xD7FF || cp >= 0xE000 && cp <= 0xFFFD || cp >= 0x10000 ? cp : 0xFFFD));
        return sb.toString();
    }

    /** {@code config/tests/bes-rules.yaml} → {@code config.tests.bes-rules}, as CI tools group by dots. */
    static String className(String file) {
        String s = file.replace('\\', '/');
        int dot = s.lastIndexOf('.');
        if (dot > s.lastIndexOf('/')) {
            s = s.substring(0, dot);
        }
        while (s.startsWith("/") || s.startsWith("./") || s.startsWith("../")) {
            s = s.substring(s.indexOf('/') + 1);
        }
        return s.isEmpty() ? "opgate" : s.replace('/', '.');
    }
}
