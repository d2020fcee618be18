#!/usr/bin/env python3
"""Generates the labelled staffing evaluation set (issue 17): candidates and judged queries.

usage: scripts/staffing_eval.py OUT_DIR [candidates=600] [seed=17]
writes OUT_DIR/candidates.csv (id,name,title,seniority,role,skills,city,rate,years,summary) and
OUT_DIR/queries.json ([{"id","text","relevant":[ids]}]).

Judging rule (stated, mechanical): a candidate is relevant to a query "<seniority> <role> with <skill>" when
its role is that role, its seniority is that seniority, and the skill is among its skills. Summaries mention
skills in prose and add distractors (other roles' tools in "worked next to ..." clauses), so neither exact
words nor embeddings alone get everything right.
"""
import csv, json, os, random, sys

ROLES = {
    "java backend engineer": ["java", "spring", "kafka", "postgres", "microservices", "kubernetes", "gradle", "grpc"],
    "python data engineer": ["python", "spark", "airflow", "kafka", "dbt", "snowflake", "pandas", "aws"],
    "qa engineer": ["selenium", "cypress", "java", "python", "jmeter", "postman", "testng", "playwright"],
    "frontend developer": ["react", "typescript", "css", "nextjs", "redux", "webpack", "graphql", "jest"],
    "devops engineer": ["kubernetes", "terraform", "aws", "ansible", "docker", "prometheus", "jenkins", "kafka"],
    "machine learning engineer": ["python", "pytorch", "tensorflow", "mlflow", "spark", "kubernetes", "sql", "onnx"],
    "mobile developer": ["swift", "kotlin", "android", "ios", "flutter", "firebase", "graphql", "java"],
    "data analyst": ["sql", "tableau", "excel", "python", "looker", "powerbi", "dbt", "statistics"],
}
SENIORITY = ["junior", "mid-level", "senior", "staff"]
CITIES = ["Austin", "Dallas", "Houston", "Denver", "Boston", "Chicago", "Seattle", "Atlanta", "Phoenix", "Miami"]
FIRST = ["Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lena", "Mo", "Nia",
         "Omar", "Pia", "Quinn", "Ravi", "Sara", "Tom", "Uma", "Vic", "Wen", "Xia", "Yara", "Zed"]
LAST = ["Ng", "Smith", "Garcia", "Kim", "Patel", "Okafor", "Rossi", "Novak", "Silva", "Cohen", "Haas", "Ito"]
YEARS = {"junior": (0, 2), "mid-level": (3, 5), "senior": (6, 10), "staff": (11, 18)}


def candidates(n, rnd):
    out = []
    roles = list(ROLES)
    for i in range(n):
        role = rnd.choice(roles)
        level = rnd.choice(SENIORITY)
        skills = rnd.sample(ROLES[role], rnd.randint(2, 4))
        other = rnd.choice([r for r in roles if r != role])
        near = rnd.sample(ROLES[other], 2)
        years = rnd.randint(*YEARS[level])
        city = rnd.choice(CITIES)
        summary = (f"{level.capitalize()} {role} with {years} years of experience, mostly {', '.join(skills[:-1])}"
                   f"{' and ' if len(skills) > 1 else ''}{skills[-1]}. Worked next to a {other} team using "
                   f"{near[0]} and {near[1]}. Based in {city}.")
        out.append({"id": f"cand-{i:05d}", "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    "title": f"{level} {role}", "seniority": level, "role": role, "skills": " ".join(skills),
                    "city": city, "rate": rnd.randint(40, 150), "years": years, "summary": summary})
    return out


def queries(cands, rnd, count=40):
    out = []
    seen = set()
    while len(out) < count:
        role = rnd.choice(list(ROLES))
        level = rnd.choice(SENIORITY)
        skill = rnd.choice(ROLES[role])
        if (role, level, skill) in seen:
            continue
        rel = [c["id"] for c in cands if c["role"] == role and c["seniority"] == level and skill in c["skills"].split()]
        if not rel:
            continue
        seen.add((role, level, skill))
        out.append({"id": f"q{len(out):02d}", "text": f"{level} {role} with {skill}", "relevant": rel})
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    opts = dict(a.split("=", 1) for a in sys.argv[2:])
    rnd = random.Random(int(opts.get("seed", 17)))
    cands = candidates(int(opts.get("candidates", 600)), rnd)
    qs = queries(cands, rnd, int(opts.get("queries", 40)))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "candidates.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(cands[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(cands)
    with open(os.path.join(out_dir, "queries.json"), "w") as f:
        json.dump(qs, f, indent=1)
    print(f"{len(cands)} candidates, {len(qs)} queries "
          f"({sum(len(q['relevant']) for q in qs) / len(qs):.1f} relevant per query) in {out_dir}")


if __name__ == "__main__":
    main()
