# Credit Gateway on Debian 12: the gateway, its plugins and the platform simulator.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config nlohmann-json3-dev libpugixml-dev libsimdjson-dev libzmq3-dev cppzmq-dev \
      libboost-dev libboost-filesystem-dev libcurl4-openssl-dev libsqlite3-dev libssl-dev libgtest-dev libgmock-dev \
      libcairo2-dev libpango1.0-dev libqrencode-dev libxlsxwriter-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DCG_BUILD_TESTS=OFF && cmake --build /build -j"$(nproc)"

FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpugixml1v5 libsimdjson14 libzmq5 libboost-filesystem1.74.0 libcurl4 libsqlite3-0 libssl3 ca-certificates sqlite3 \
      libcairo2 libpangocairo-1.0-0 libqrencode4 libxlsxwriter4 fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 --home /var/lib/credit-gateway credit-gateway
COPY --from=build /build/core/credit-gateway /build/tools/platform-sim /usr/local/bin/
COPY --from=build /build/plugins/ /usr/lib/credit-gateway/plugins/
COPY mappings /etc/credit-gateway/mappings
COPY config /etc/credit-gateway/config
COPY docker/gateway.json /etc/credit-gateway/gateway.json
COPY docker/entrypoint.sh /usr/local/bin/credit-gateway-entrypoint
RUN mkdir -p /var/lib/credit-gateway && chown credit-gateway /var/lib/credit-gateway
USER credit-gateway
WORKDIR /var/lib/credit-gateway
EXPOSE 18080 18082 18083
ENTRYPOINT ["credit-gateway-entrypoint"]
CMD ["credit-gateway", "run", "--config", "/etc/credit-gateway/gateway.json"]
