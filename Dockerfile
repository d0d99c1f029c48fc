# Build stage: one Maven build produces the runnable jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY protocol protocol
COPY storage storage
COPY broker broker
COPY client client
COPY cli cli
RUN mvn -B -q package -DskipTests

# Runtime stage: a JRE and the jar.
FROM eclipse-temurin:17-jre
RUN useradd --system --home /var/lib/cairn cairn && mkdir -p /var/lib/cairn/data && chown -R cairn /var/lib/cairn
COPY --from=build /src/cli/target/cairn.jar /opt/cairn/cairn.jar
COPY bin/cairn /opt/cairn/bin/cairn
USER cairn
WORKDIR /var/lib/cairn
EXPOSE 7390 7391
VOLUME ["/var/lib/cairn/data"]
ENTRYPOINT ["/opt/cairn/bin/cairn"]
CMD ["broker", "--data-dir", "/var/lib/cairn/data", "--host", "0.0.0.0", "--metrics-port", "7391"]
