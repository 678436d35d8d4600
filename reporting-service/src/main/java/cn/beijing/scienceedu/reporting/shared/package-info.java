/**
 * What every feature package and the web edge share and which depends on none of them: the reporting
 * {@link cn.beijing.scienceedu.reporting.shared.Period} and the errors features raise for the web edge to answer
 * (404, 409, 400 with field errors). Nothing here may import a feature package (checked by {@code BoundariesTest}).
 */
package cn.beijing.scienceedu.reporting.shared;
