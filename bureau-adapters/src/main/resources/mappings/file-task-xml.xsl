<?xml version="1.0" encoding="UTF-8"?>
<!-- Hub canonical XML to the exchange-file XML of 市规划自然资源委 / 市通信管理局 (their own element names).
     The encoding declaration is set by the route to the bureau's charset. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" indent="yes" omit-xml-declaration="yes"/>
  <xsl:template match="/task-message">
    <RWXX>
      <XXBH><xsl:value-of select="messageId"/></XXBH>
      <XXLX><xsl:value-of select="kind"/></XXLX>
      <RWBH><xsl:value-of select="taskId"/></RWBH>
      <DWDM><xsl:value-of select="unitCode"/></DWDM>
      <CSXH><xsl:value-of select="measureNo"/></CSXH>
      <CSMC><xsl:value-of select="measureTitle"/></CSMC>
      <ZRLX><xsl:choose><xsl:when test="role='LEAD'">牵头</xsl:when><xsl:when test="role='COOPERATING'">配合</xsl:when></xsl:choose></ZRLX>
      <WCSX><xsl:value-of select="translate(deadline, '-', '')"/></WCSX>
      <GZYQ><xsl:for-each select="workItems/item"><TM><xsl:value-of select="."/></TM></xsl:for-each></GZYQ>
      <YY><xsl:value-of select="reason"/></YY>
      <!-- 状态 of a receipt (回执): ACCEPTED / REJECTED; 任务状态 (RWZT), the task's status after the answered message;
           原报送时间 (YBSSJ), the bureau's own time of that message as the hub kept it (other messages keep their shape) -->
      <xsl:if test="kind='RECEIPT'">
        <ZT><xsl:value-of select="status"/></ZT>
        <xsl:if test="string(taskStatus)"><RWZT><xsl:value-of select="taskStatus"/></RWZT></xsl:if>
        <xsl:if test="string(sentAt)"><YBSSJ><xsl:value-of select="sentAt"/></YBSSJ></xsl:if>
      </xsl:if>
      <BBH><xsl:value-of select="version"/></BBH>
      <FSSJ><xsl:value-of select="issuedAt"/></FSSJ>
    </RWXX>
  </xsl:template>
</xsl:stylesheet>
