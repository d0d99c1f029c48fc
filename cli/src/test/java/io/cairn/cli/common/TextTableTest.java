package io.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void padsEveryColumnButTheLastToItsWidestCell() {
        TextTable table = new TextTable("TOPIC", "PARTITION", "END")
                .row("orders", 0, 12L)
                .row("a-much-longer-name", 10, null);
        StringWriter out = new StringWriter();

        table.print(new PrintWriter(out, true));

        assertThat(out.toString().split("\\R")).containsExactly(
                "TOPIC               PARTITION  END",
                "orders              0          12",
                "a-much-longer-name  10         -");
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> new TextTable("A", "B").row("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
