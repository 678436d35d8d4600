package cn.beijing.scienceedu.adapters.registry;

/** How a bureau system is reached (接口方式). */
public enum Protocol {
    REST, SOAP, FILE, SFTP, AMQP
}
