#!/bin/sh
# A deliberately slow last reader loses nothing anywhere in the pipeline.
[ -s data/dbip-country.mmdb ] || { echo "no data/dbip-country.mmdb"; exit 77; }
exec "$PY" "$(dirname "$0")/slow_consumer.py"
