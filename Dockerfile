# syntax=docker/dockerfile:1
# One image recipe for every service: a layered Spring Boot jar on a JRE, run as uid 10001.
# Build the module's jar first, then build from the repository root (the context) naming the module:
#   ./mvnw -pl task-service -am package -DskipTests
#   docker build --build-arg MODULE=task-service --build-arg PORT=8081 \
#     -t registry.example.gov.cn/bureau-hub/task-service:0.1.0 .
# MODULE is the module's directory (gateway, task-service, bureau-adapters, reporting-service, tools/token-issuer —
# the token issuer for local runs and test clusters only: production trusts an external OIDC issuer).
# PORT is only what EXPOSE documents; the chart sets SERVER_PORT and the containerPort (services.<name>.port).
# Repository and tag are chart values (image.registry, services.<name>.image.repository, image.tag).
# .dockerignore sends only the modules' target/*.jar as context.

FROM eclipse-temurin:17-jre AS extract
ARG MODULE
WORKDIR /build
RUN test -n "${MODULE}" || { echo "build with --build-arg MODULE=<module directory>, e.g. MODULE=task-service" >&2; exit 1; }
# The module's Spring Boot jar (repackaged in place: one *.jar in target/; tools/helm-chart-tests checks each module).
COPY ${MODULE}/target/*.jar app.jar
# Boot's tools jar mode; --launcher keeps the JarLauncher layout, --layers splits by change rate.
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
ARG PORT=8080
RUN groupadd --system --gid 10001 hub \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin hub
WORKDIR /app
# Least-changing layers first so a code change only rebuilds the last one.
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
# Files stay root-owned and read-only; the pod mounts an emptyDir at /tmp (readOnlyRootFilesystem).
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE ${PORT}
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
