"""Parses the CI templates and checks the rules they are written to: the GitHub
action is a composite whose shell steps only call ci-templates/scripts, every input
is documented in the README, and the GitLab template does the same steps with
failure-only artifacts and a JUnit report. Exits 77 (skipped) without PyYAML.

  check_ci_yaml.py --templates ci-templates
"""
import argparse
import os
import re
import sys

from markerlib import expect, main_wrapper

try:
    import yaml
except ImportError:
    print("SKIP: PyYAML (Debian package python3-yaml) is not installed for "
          f"{sys.executable}; the CI templates were not parsed")
    sys.exit(77)

# A step's shell is one call of one of our scripts, nothing else.
SCRIPT_CALL = re.compile(r'^bash "\$(GITHUB_ACTION_PATH/\.\.|RRTR_HOME/ci-templates)/scripts/([a-z-]+\.sh)"$')


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_script_call(line, scripts_dir, where):
    m = SCRIPT_CALL.match(line.strip())
    expect(m, f"{where}: shell is not a single script call: {line!r}")
    expect(os.path.isfile(os.path.join(scripts_dir, m.group(2))), f"{where}: no script {m.group(2)}")
    return m.group(2)


def check_action(root, readme, scripts_dir):
    action = load(os.path.join(root, "github", "action.yml"))
    expect(action["runs"]["using"] == "composite", "action.yml: not a composite action")
    for name in ("program", "args", "until-fail", "jobs", "shard", "seed", "traces-dir"):
        expect(name in action["inputs"], f"action.yml: input {name} missing")
    for name in action["inputs"]:
        expect(f"`{name}`" in readme, f"README.md does not document input {name}")
    called, uploads = [], []
    for step in action["runs"]["steps"]:
        if "run" in step:
            expect(step.get("shell") == "bash", f"action.yml: step {step['name']} needs shell: bash")
            called.append(check_script_call(step["run"], scripts_dir, f"action.yml {step['name']}"))
        elif step.get("uses", "").startswith("actions/upload-artifact@"):
            uploads.append(step)
    expect(called == ["install-rr-test-runner.sh", "run-until-fail.sh", "pack-failures.sh"],
           f"action.yml: scripts called {called}")
    expect(any(u.get("if") == "failure()" and "tar.zst" in u["with"]["path"] for u in uploads),
           "action.yml: packed traces are not uploaded on failure")


def check_workflow(root):
    flow = load(os.path.join(root, "github", "example-workflow.yml"))
    matrix = flow["jobs"]["hunt"]["strategy"]["matrix"]["include"]
    seeds = [entry["seed"] for entry in matrix]
    expect(len(matrix) > 1 and len(set(seeds)) == len(seeds), "example workflow: shards share seeds")
    merge_runs = [s["run"] for s in flow["jobs"]["merge"]["steps"] if "run" in s]
    expect(any("merge-reports.sh" in r for r in merge_runs), "example workflow: no merge step")


def check_gitlab(root, readme, scripts_dir):
    template = load(os.path.join(root, "gitlab", "rr-test-runner.gitlab-ci.yml"))
    job = template[".rr-test-runner"]
    called = [check_script_call(line, scripts_dir, f"gitlab {section}")
              for section in ("before_script", "script", "after_script") for line in job[section]]
    expect(called == ["install-rr-test-runner.sh", "run-until-fail.sh", "pack-failures.sh"],
           f"gitlab: scripts called {called}")
    artifacts = job["artifacts"]
    expect(artifacts["when"] == "on_failure", "gitlab: artifacts are not failure-only")
    expect(artifacts["reports"]["junit"].endswith("junit.xml"), "gitlab: no JUnit report")
    for name in job["variables"]:
        expect(f"`{name}`" in readme or name.startswith("GIT_"), f"README.md does not document {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", required=True)
    root = parser.parse_args().templates
    scripts_dir = os.path.join(root, "scripts")
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    check_action(root, readme, scripts_dir)
    check_workflow(root)
    check_gitlab(root, readme, scripts_dir)


if __name__ == "__main__":
    main_wrapper(main)
