<?xml version="1.0" encoding="UTF-8"?>
<!-- Hub canonical XML (<task-message>) to the SOAP 1.1 envelope of contracts soap/bureau-exchange.wsdl. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                xmlns:b="urn:cn:beijing:scienceedu:hub:bureau:v1">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:template match="/task-message">
    <soapenv:Envelope>
      <soapenv:Header/>
      <soapenv:Body>
        <b:TaskMessage>
          <b:MessageId><xsl:value-of select="messageId"/></b:MessageId>
          <b:Kind><xsl:value-of select="kind"/></b:Kind>
          <b:TaskId><xsl:value-of select="taskId"/></b:TaskId>
          <b:UnitCode><xsl:value-of select="unitCode"/></b:UnitCode>
          <xsl:if test="string(measureNo)"><b:MeasureNo><xsl:value-of select="measureNo"/></b:MeasureNo></xsl:if>
          <xsl:if test="string(measureTitle)"><b:MeasureTitle><xsl:value-of select="measureTitle"/></b:MeasureTitle></xsl:if>
          <xsl:if test="string(role)"><b:Role><xsl:value-of select="role"/></b:Role></xsl:if>
          <xsl:if test="string(deadline)"><b:Deadline><xsl:value-of select="deadline"/></b:Deadline></xsl:if>
          <xsl:if test="workItems/item">
            <b:WorkItems>
              <xsl:for-each select="workItems/item"><b:Item><xsl:value-of select="."/></b:Item></xsl:for-each>
            </b:WorkItems>
          </xsl:if>
          <xsl:if test="string(reason)"><b:Reason><xsl:value-of select="reason"/></b:Reason></xsl:if>
          <xsl:if test="string(version)"><b:Version><xsl:value-of select="version"/></b:Version></xsl:if>
          <b:IssuedAt><xsl:value-of select="issuedAt"/></b:IssuedAt>
        </b:TaskMessage>
      </soapenv:Body>
    </soapenv:Envelope>
  </xsl:template>
</xsl:stylesheet>
