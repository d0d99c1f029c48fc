package io.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void reasonIsTheMessageBeneathFutureWrappers() {
        Exception e = new ExecutionException(new CompletionException(new IOException("connection refused")));

        assertThat(Failures.reason(e)).isEqualTo("connection refused");
    }

    @Test
    void reasonFallsBackToTheCauseThenTheTypeName() {
        assertThat(Failures.reason(new RuntimeException(null, new IOException("disk full")))).isEqualTo("disk full");
        assertThat(Failures.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void reasonIsOneLine() {
        assertThat(Failures.reason(new RuntimeException("first\n  second\r\nthird\n"))).isEqualTo("first; second; third");
    }

    @Test
    void anUnreachableBrokerIsSaidPlainly() {
        Exception refused = new RuntimeException("list topics did not complete within 1000 ms",
                new RuntimeException("no connection", new ConnectException("Connection refused: /127.0.0.1:1")));
        Exception unknown = new RuntimeException("timed out", new UnknownHostException("nosuchhost.invalid"));

        assertThat(Failures.reason(refused)).isEqualTo("cannot connect to the broker: Connection refused: /127.0.0.1:1 "
                + "(is it running? check --bootstrap or $CAIRN_BOOTSTRAP)");
        assertThat(Failures.reason(unknown)).isEqualTo("cannot connect to the broker: unknown host nosuchhost.invalid "
                + "(check --bootstrap or $CAIRN_BOOTSTRAP)");
    }

    @Test
    void aFailureDoesNotRepeatItsAction() {
        assertThat(new CommandFailure("list topics", new RuntimeException("list topics did not complete")).getMessage())
                .isEqualTo("did not complete");
        assertThat(new CommandFailure("create topic a", new RuntimeException("create topic a: TOPIC_ALREADY_EXISTS")).getMessage())
                .isEqualTo("TOPIC_ALREADY_EXISTS");
        assertThat(new CommandFailure("create topic a", new RuntimeException("topic exists")).getMessage())
                .isEqualTo("topic exists");
        assertThat(new CommandFailure("create topic a",
                new RuntimeException("TOPIC_ALREADY_EXISTS: create topic a: topic a already exists")).getMessage())
                .isEqualTo("TOPIC_ALREADY_EXISTS: topic a already exists");
        assertThat(new CommandFailure("create topic a",
                new RuntimeException("INVALID_CONFIG: create topic b: bad")).getMessage())
                .isEqualTo("INVALID_CONFIG: create topic b: bad");
        assertThat(new CommandFailure("alter configs of topic a", new RuntimeException(
                "INVALID_CONFIG: alter configs of ConfigResource[type=TOPIC, name=a]: invalid configuration: x=1: unknown"))
                .getMessage()).isEqualTo("INVALID_CONFIG: invalid configuration: x=1: unknown");
    }

    @Test
    void bootstrapComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        Map<String, String> env = Map.of(ClientOptions.BOOTSTRAP_ENV, "broker-1:9000");

        assertThat(ClientOptions.resolveBootstrap("h:1", env)).isEqualTo("h:1");
        assertThat(ClientOptions.resolveBootstrap(null, env)).isEqualTo("broker-1:9000");
        assertThat(ClientOptions.resolveBootstrap(null, Map.of())).isEqualTo("localhost:7390");
        assertThat(ClientOptions.resolveBootstrap(" ", Map.of(ClientOptions.BOOTSTRAP_ENV, ""))).isEqualTo("localhost:7390");
    }
}
