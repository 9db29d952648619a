package org.vfzone.connection;

import java.net.http.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.brocade.BrocadeFosRestDriver;
import org.vfzone.fabric.cisco.CiscoMdsNxapiDriver;

/** The drivers of the switch protocols vfzone speaks: Brocade FOS REST and Cisco MDS NX-API. */
@Configuration(proxyBeanMethods = false)
class SwitchProtocolDrivers {

    @Bean
    FabricDriverFactory brocadeFosRestDrivers() {
        return new FabricDriverFactory() {
            @Override
            public FabricVendor vendor() {
                return FabricVendor.BROCADE_FOS_REST;
            }

            @Override
            public BrocadeFosRestDriver driver(long fabricId, FabricEndpoint endpoint,
                                               HttpClient client) {
                return new BrocadeFosRestDriver(endpoint, client);
            }
        };
    }

    @Bean
    FabricDriverFactory ciscoMdsNxapiDrivers() {
        return new FabricDriverFactory() {
            @Override
            public FabricVendor vendor() {
                return FabricVendor.CISCO_MDS_NXAPI;
            }

            @Override
            public CiscoMdsNxapiDriver driver(long fabricId, FabricEndpoint endpoint,
                                              HttpClient client) {
                return new CiscoMdsNxapiDriver(endpoint, client);
            }
        };
    }
}
