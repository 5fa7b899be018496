/**
 * An apply as a picture: {@link io.compensa.report.GraphLayout} lays a plan's {@link
 * io.compensa.host.report.ApplyGraph} out left to right with Eclipse ELK's layered algorithm, and
 * {@link io.compensa.report.HtmlReport} writes it as one self-contained HTML page (inline SVG, no
 * script, no request leaving the file).
 */
package io.compensa.report;
