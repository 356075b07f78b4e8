package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class EventLabelsTest {

    @Test
    void labelsApartShareTheTopRow() {
        assertThat(EventLabels.rows(List.of(EventLabels.span(100, 50, 900), EventLabels.span(400, 50, 900))))
                .containsExactly(0, 0);
    }

    @Test
    void anOverlappingLabelGoesOneRowDown() {
        assertThat(EventLabels.rows(List.of(EventLabels.span(100, 200, 900), EventLabels.span(150, 200, 900))))
                .containsExactly(0, 1);
    }

    @Test
    void aLabelWhoseLineWouldCrossALabelBelowGoesUnderIt() {
        // The third fits in the top row, but its line would strike the second label (150–350).
        List<EventLabels.Span> spans = List.of(EventLabels.span(100, 200, 900), EventLabels.span(150, 200, 900),
                EventLabels.span(320, 50, 900));

        assertThat(EventLabels.rows(spans)).containsExactly(0, 1, 2);
    }

    @Test
    void aLabelNearTheRightEdgeGoesLeftOfItsLine() {
        assertThat(EventLabels.span(880, 100, 956)).isEqualTo(new EventLabels.Span(880, 780, 880));
    }
}
