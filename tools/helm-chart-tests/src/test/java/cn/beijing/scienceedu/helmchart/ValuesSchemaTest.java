package cn.beijing.scienceedu.helmchart;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong values fail at install time (values.schema.json, or a template guard), never at run time. */
class ValuesSchemaTest {

    @Test
    void replicasWrittenAsAWordAreRefused() {
        assertRefusedBySchema("services: { gateway: { replicas: three } }", "/services/gateway/replicas': got string, want integer");
    }

    @Test
    void replicasOutsideOneToTwentyAreRefused() {
        assertRefusedBySchema("services: { task-service: { replicas: 0 } }", "/services/task-service/replicas': minimum");
        assertRefusedBySchema("serviceDefaults: { replicas: 21 }", "/serviceDefaults/replicas': maximum");
    }

    @Test
    void anUnknownBureauProtocolIsRefused() {
        assertRefusedBySchema("bureaus: { units: { SJW: { protocol: FTP } } }", "/bureaus/units/SJW/protocol': value must be one of");
    }

    @Test
    void aBureauWithoutEndpointIsRefusedUnlessItSpeaksAmqp() {
        assertRefusedBySchema("bureaus: { units: { SXX: { name: 新单位, protocol: REST } } }", "missing property 'endpoint'");
        HubChart.renderText("bureaus: { units: { SXX: { name: 新单位, protocol: AMQP } } }");
    }

    @Test
    void anUnknownQueueTypeIsRefused() {
        assertRefusedBySchema("rabbitmq: { queueType: fast }", "/rabbitmq/queueType': value must be one of 'classic', 'quorum'");
    }

    @Test
    void classicQueuesOnAClusteredBrokerAreRefused() {
        assertRefusedBySchema("rabbitmq: { cluster: true, queueType: classic }", "/rabbitmq/queueType': value must be 'quorum'");
    }

    @Test
    void aMisspelledServiceIsRefused() {
        assertRefusedBySchema("services: { task_service: { enabled: true, image: { repository: x }, port: 8081 } }", "additional properties 'task_service' not allowed");
    }

    @Test
    void anEmptyBureauRegistryIsRefused() {
        assertRefusedBySchema("bureaus: { units: null }", "missing property 'units'");
    }

    @Test
    void aNonRwxExchangeVolumeIsRefusedWhenAdaptersRunSeveralReplicas() {
        assertRefused("fileExchange: { persistence: { accessMode: ReadWriteOnce } }", "ReadWriteMany");
    }

    @Test
    void aGracePeriodShorterThanTheGracefulShutdownIsRefused() {
        assertRefused("services: { bureau-adapters: { terminationGracePeriodSeconds: 30 } }", "terminationGracePeriodSeconds");
    }

    @Test
    void egressToABroadRangeIsRefused() {
        assertRefusedBySchema("oauth2: { networkPeers: [ { ipBlock: { cidr: 10.0.0.0/8 } } ] }", "/oauth2/networkPeers/0/ipBlock/cidr'");
        assertRefusedBySchema("networkPolicy: { bureauEndpoints: [ { name: SJW, cidr: 0.0.0.0/0, ports: [443] } ] }",
                "/networkPolicy/bureauEndpoints/0/cidr'");
    }

    @Test
    void aBureauEndpointWithoutPortsIsRefused() {
        assertRefusedBySchema("networkPolicy: { bureauEndpoints: [ { name: SJW, cidr: 10.20.1.0/24 } ] }", "missing property 'ports'");
    }

    @Test
    void networkBureausWithoutEndpointRangesAreRefused() {
        assertRefused("networkPolicy: { bureauEndpoints: [] }", "networkPolicy.bureauEndpoints is empty but bureaus SJW, SKW");
    }

    @Test
    void aFileBureauWithoutASharedDirectoryIsRefused() {
        assertRefused("fileExchange: { mode: sftp }", "bureaus.units.SKX uses protocol FILE but fileExchange.mode is sftp");
    }

    @Test
    void aServiceWithoutItsOwnDatabaseIsRefused() {
        assertRefusedBySchema("database: { names: { task-service: hub_task, bureau-adapters: hub_adapters, reporting-service: null } }",
                "/database/names': missing property 'reporting-service'");
        assertRefusedBySchema("database: { name: hub }", "additional properties 'name' not allowed");
    }

    private static void assertRefusedBySchema(String overlay, String expectedInMessage) {
        assertRefused(overlay, "values don't meet the specifications of the schema");
        assertRefused(overlay, expectedInMessage);
    }

    private static void assertRefused(String overlay, String expectedInMessage) {
        assertThatThrownBy(() -> HubChart.renderText(overlay))
                .as("values %s", overlay)
                .hasMessageContaining(expectedInMessage);
    }
}
