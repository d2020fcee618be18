#!/usr/bin/env bash
# G2: the co-pilot pipeline through the gateway only. embedd's API (models, 400, 413), then: embed a few
# dozen texts -> add them to a vectord index -> embed a query -> search -> the semantically closest text
# is the top hit (a password question finds the login-recovery text, not a recipe).
source "$(dirname "$0")/lib.sh"
J='Content-Type: application/json'
IDX="g2_$$_$RANDOM"

# --- embedd's own API ---
models=$(curl -s "$GATEWAY/v1/embed/models")
dim=$(json_field dim <<<"$models")
check "GET /v1/embed/models names a model" yes "$([ -n "$(json_field model <<<"$models")" ] && echo yes || echo no)"
check "model dimension is positive" yes "$([ "${dim:-0}" -gt 0 ] && echo yes || echo no)"
one=$(curl -s -X POST "$GATEWAY/v1/embed" -H "$J" -d '{"text":"hello world"}')
check "single text -> one vector of dim $dim" "1 $dim" "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["vectors"]), len(d["vectors"][0]))' <<<"$one")"
check "empty texts -> 400" 400 "$(http_code POST "$GATEWAY/v1/embed" -H "$J" -d '{"texts":[]}')"
check "non-string text -> 400" 400 "$(http_code POST "$GATEWAY/v1/embed" -H "$J" -d '{"texts":["a",1]}')"
check "text and texts together -> 400" 400 "$(http_code POST "$GATEWAY/v1/embed" -H "$J" -d '{"text":"a","texts":["b"]}')"
big=$(python3 -c 'import json; print(json.dumps({"texts": ["t%d" % i for i in range(5000)]}))')
check "batch above embedd.max_batch -> 413" 413 "$(http_code POST "$GATEWAY/v1/embed" -H "$J" --data-binary "$big")"

# --- the corpus: helpdesk articles, recipes, staffing profiles and job ads ---
DOCS=$(cat <<'TXT'
login-recovery|Forgot your password? Use the account recovery page to get a reset link by email and sign in again.
two-factor|Set up two-factor authentication with an authenticator app to protect your account.
vpn-setup|Install the VPN client and connect before opening internal dashboards from home.
printer|If the office printer jams, open tray two and remove the stuck paper carefully.
laptop-request|Request a new laptop through the IT portal; approval takes about three working days.
email-quota|Your mailbox is full: archive old messages or ask IT to raise the storage quota.
recipe-banana|Preheat the oven to 180 degrees, mash three ripe bananas and bake the bread for fifty minutes.
recipe-soup|Simmer carrots, onions and lentils in stock for thirty minutes, then blend until smooth.
recipe-pancakes|Whisk flour, milk and eggs into a batter and fry thin pancakes in a hot buttered pan.
recipe-salad|Toss cucumber, tomato, feta and olives with olive oil and oregano for a Greek salad.
cand-java|Candidate: senior backend engineer, ten years of Java, Spring Boot and Kafka, led a payments team.
cand-nurse|Candidate: registered nurse with ICU experience, night shifts, certified in advanced life support.
cand-forklift|Candidate: warehouse associate, licensed forklift operator, experienced with inventory scanners.
cand-designer|Candidate: product designer skilled in Figma, user research and accessible interface design.
cand-accountant|Candidate: chartered accountant, month-end close, IFRS reporting and audit preparation.
cand-driver|Candidate: truck driver with a commercial licence and a clean record on long-haul routes.
cand-teacher|Candidate: primary school teacher, eight years in the classroom, fluent in Spanish.
cand-datasci|Candidate: data scientist, Python, statistics and machine learning models in production.
job-welder|Job: certified welder needed for a construction site, MIG and TIG, weekday shifts.
job-chef|Job: line cook for a busy restaurant kitchen, evenings and weekends.
job-recruiter|Job: technical recruiter to source and screen software engineering candidates.
job-support|Job: customer support agent answering tickets by chat and phone.
policy-leave|Employees get twenty-five days of paid vacation per year; request leave in the HR system.
policy-expenses|Submit travel expenses with receipts within thirty days to be reimbursed.
policy-remote|Staff may work remotely up to three days a week with their manager's agreement.
weather|Heavy rain and strong winds are expected along the coast this weekend.
football|The home team won the cup final two to one after extra time.
astronomy|A total solar eclipse happens when the moon passes between the sun and the earth.
gardening|Water tomato plants in the morning and pinch out the side shoots as they grow.
music|The orchestra performed Beethoven's ninth symphony to a sold-out hall.
TXT
)
ids=(); texts=()
while IFS='|' read -r id text; do ids+=("$id"); texts+=("$text"); done <<<"$DOCS"
check "corpus has a few dozen texts" 30 "${#ids[@]}"

texts_json=$(printf '%s\n' "${texts[@]}" | python3 -c 'import json,sys; print(json.dumps({"texts":[l.rstrip("\n") for l in sys.stdin]}))')
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
curl -s -X POST "$GATEWAY/v1/embed" -H "$J" --data-binary "$texts_json" -o "$TMP/emb.json"
check "embedded every text" "${#ids[@]}" "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("vectors",[])))' <"$TMP/emb.json")"

check "create index (dim $dim, cosine)" 201 "$(http_code POST "$GATEWAY/v1/vectors/index" -H "$J" \
  -d "{\"name\":\"$IDX\",\"dim\":$dim,\"distance\":\"cosine\"}")"
printf '%s\n' "${ids[@]}" | python3 -c '
import json,sys
ids=[l.strip() for l in sys.stdin]
vecs=json.load(open(sys.argv[1]))["vectors"]
print(json.dumps({"items":[{"id":i,"vector":v,"metadata":{"source":"g2"}} for i,v in zip(ids,vecs)]}))' "$TMP/emb.json" >"$TMP/add.json"
res=$(curl -s -X POST "$GATEWAY/v1/vectors/index/$IDX/add" -H "$J" --data-binary "@$TMP/add.json")
check "added every vector" "${#ids[@]}" "$(json_field added <<<"$res")"

# query -> embed -> search -> expected top hit
top_hit() { # QUERY -> id of the top hit
  local q v
  q=$(python3 -c 'import json,sys; print(json.dumps({"text":sys.argv[1]}))' "$1")
  v=$(curl -s -X POST "$GATEWAY/v1/embed" -H "$J" -d "$q" | python3 -c 'import json,sys; print(json.dumps({"vector":json.load(sys.stdin)["vectors"][0],"k":3}))')
  curl -s -X POST "$GATEWAY/v1/vectors/index/$IDX/search" -H "$J" --data-binary "$v" | json_field hits.0.id
}
check "password question finds the login-recovery text" login-recovery "$(top_hit "I can't sign in because I forgot my password, how do I reset it?")"
check "baking question finds the banana bread recipe" recipe-banana "$(top_hit "How long should banana bread bake in the oven?")"
check "staffing query finds the Java candidate" cand-java "$(top_hit "Looking for an experienced Java developer who knows Kafka")"
check "staffing query finds the nurse" cand-nurse "$(top_hit "We need intensive care nursing staff for night shifts")"
check "holiday question finds the leave policy" policy-leave "$(top_hit "How many vacation days do I get each year?")"


# --- one call instead of two: vectord embeds text itself (add {"items":[{"id","text"}]}, search {"text"}) ---
TIDX="${IDX}_text"
check "create text index" 201 "$(http_code POST "$GATEWAY/v1/vectors/index" -H "$J" \
  -d "{\"name\":\"$TIDX\",\"dim\":$dim,\"distance\":\"cosine\"}")"
tadd=$(paste -d'|' <(printf '%s\n' "${ids[@]}") <(printf '%s\n' "${texts[@]}") | python3 -c '
import json,sys
items=[dict(zip(("id","text"), l.rstrip("\n").split("|",1))) for l in sys.stdin]
print(json.dumps({"items":items}))')
res=$(curl -s -X POST "$GATEWAY/v1/vectors/index/$TIDX/add" -H "$J" --data-binary "$tadd")
check "text add embedded and added every item" "${#ids[@]}" "$(json_field added <<<"$res")"
text_hit() { # QUERY -> id of the top hit of a text search
  curl -s -X POST "$GATEWAY/v1/vectors/index/$TIDX/search" -H "$J" \
    --data-binary "$(python3 -c 'import json,sys; print(json.dumps({"text":sys.argv[1],"k":3}))' "$1")" | json_field hits.0.id
}
check "text search: password question finds login-recovery" login-recovery "$(text_hit "I forgot my password and cannot log in")"
check "text search: forklift query finds the warehouse candidate" cand-forklift "$(text_hit "experienced forklift driver for our warehouse")"

curl -s -o /dev/null -X DELETE "$GATEWAY/v1/vectors/index/$IDX"
curl -s -o /dev/null -X DELETE "$GATEWAY/v1/vectors/index/$TIDX"
finish
