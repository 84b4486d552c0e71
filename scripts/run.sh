#!/bin/sh
# Starts the web server and a django-q2 worker together; Ctrl-C stops both.
PY="$1"
"$PY" manage.py qcluster &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null; exit 0' INT TERM EXIT
"$PY" manage.py demo_banner
"$PY" manage.py runserver 127.0.0.1:8000 --noreload
