#!/bin/sh
# Installs the image's plugins into the data volume and allowlists exactly
# those (by SHA-256), then runs the command.
set -e
mkdir -p /var/lib/credit-gateway/plugins/connectors
cp /usr/lib/credit-gateway/plugins/libcg_adapter_*.so /var/lib/credit-gateway/plugins/
cp /usr/lib/credit-gateway/plugins/libcg_connector_*.so /var/lib/credit-gateway/plugins/connectors/
cd /var/lib/credit-gateway/plugins && sha256sum *.so connectors/*.so >ALLOWLIST && cd - >/dev/null
exec "$@"
