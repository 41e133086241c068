"""What the schema scripts share: their --bmil/--root arguments, an environment without
BMIL_PLUGIN_PATH (only the bundled plugins), and a tally of named checks that ends with the
line "N passed, M failed" and the exit status (0 when nothing failed).
"""

import argparse
import os


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bmil", required=True)
    parser.add_argument("--root", required=True)
    return parser.parse_args()


def bundled_only_env():
    env = dict(os.environ)
    env.pop("BMIL_PLUGIN_PATH", None)
    return env


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 else 1
