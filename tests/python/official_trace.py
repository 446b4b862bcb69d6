"""Prints each trace named on the command line as the official AgentSight Python client (agentsight 0.1.4) reads it, one JSON document a line.

Run by tests/it/trace_tab.rs with AGENTSIGHT_API_ENDPOINT pointing at a local
`convo serve`, to compare with what `convo trace` prints.
"""

import json
import sys

from agentsight.api import AgentSight


def main():
    ags = AgentSight()
    for trace_id in sys.argv[1:]:
        print(json.dumps(ags.spans.trace(trace_id)))


if __name__ == "__main__":
    main()
