package cn.beijing.scienceedu.reporting.web;

import java.io.IOException;

import cn.beijing.scienceedu.platform.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request parameter holding a NUL character is refused with a 400 problem before any handler runs: PostgreSQL
 * cannot store or compare a text value containing NUL and would otherwise fail the query (a 500). No identifier,
 * period or code of the hub contains one. A browser gets the page in the dashboard's language ({@link ErrorPages}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class NulParameterFilter extends OncePerRequestFilter {

    private final ErrorPages pages;

    public NulParameterFilter(ErrorPages pages) {
        this.pages = pages;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && (query.contains("%00") || query.indexOf('\0') >= 0)) {
            pages.write(request, response, Problems.of(400,
                    "a request parameter contains a NUL character, which no value of the hub may hold",
                    null));
            return;
        }
        chain.doFilter(request, response);
    }
}
