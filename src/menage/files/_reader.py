"""A reader process (see :mod:`menage.files.readers`): batches in, digests out."""

from __future__ import annotations

import pickle
import signal
import sys

from menage.files.hashing import hash_batch


def main() -> None:
    # Ctrl-C is for the main process, which stops its readers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            kind, paths, sizes = pickle.load(requests)
        except EOFError:
            return
        results = hash_batch(kind, paths, sizes, [0] * len(paths))
        pickle.dump(results, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


if __name__ == "__main__":
    main()
