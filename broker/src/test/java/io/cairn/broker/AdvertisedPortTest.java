package io.cairn.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Regression: a Metadata request that reached a restarting broker between the bind of its listener
 * and the publication of the bound address failed with a NullPointerException (seen in the kill -9
 * crash loop, where clients reconnect the moment the port is open). The advertised port must be
 * answerable in that window.
 */
class AdvertisedPortTest {
    @Test
    void beforeTheBoundAddressIsPublishedTheConfiguredPortIsAdvertised() {
        assertThat(Broker.advertisedPort(null, 7390)).isEqualTo(7390);
    }

    @Test
    void onceBoundTheRealPortIsAdvertised() {
        assertThat(Broker.advertisedPort(new InetSocketAddress("127.0.0.1", 40123), 0)).isEqualTo(40123);
    }
}
