#!/usr/bin/env bash
# G3: the embedding shapes other clients speak, through the gateway: OpenAI's /v1/embeddings (base URL
# http://gateway/v1) and Ollama's /api/embed (host http://gateway/v1), same vectors as /v1/embed.
source "$(dirname "$0")/lib.sh"
J='Content-Type: application/json'
model=$(json_field model <<<"$(curl -s "$GATEWAY/v1/embed/models")")

oa=$(curl -s -X POST "$GATEWAY/v1/embeddings" -H "$J" -d "{\"model\":\"$model\",\"input\":[\"How do I reset my password?\",\"banana bread\"]}")
check "OpenAI shape: object list" list "$(json_field object <<<"$oa")"
check "OpenAI shape: two embeddings in order" "0 1" "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(*[e["index"] for e in d["data"]])' <<<"$oa")"
check "OpenAI shape: usage counts tokens" yes "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print("yes" if d["usage"]["prompt_tokens"] > 4 else "no")' <<<"$oa")"
ol=$(curl -s -X POST "$GATEWAY/v1/api/embed" -H "$J" -d "{\"model\":\"$model\",\"input\":\"How do I reset my password?\"}")
own=$(curl -s -X POST "$GATEWAY/v1/embed" -H "$J" -d '{"text":"How do I reset my password?"}')
check "Ollama shape gives the same vector as /v1/embed" yes "$(python3 -c '
import json,sys
a=json.loads(sys.argv[1])["embeddings"][0]; b=json.loads(sys.argv[2])["vectors"][0]
print("yes" if len(a)==len(b) and max(abs(x-y) for x,y in zip(a,b)) < 1e-6 else "no")' "$ol" "$own")"
check "an unserved model -> 404 model_not_found" model_not_found \
  "$(json_field code <<<"$(curl -s -X POST "$GATEWAY/v1/embeddings" -H "$J" -d '{"model":"text-embedding-ada-002","input":"hi"}')")"
finish
