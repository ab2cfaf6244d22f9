#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scikit-learn's MLPClassifier on Fashion-MNIST with the hyperparameters of
benchmarks/fashion_mnist_vs_sklearn.json: the reference side of fashion_mnist_vs_sklearn.sh.

Prints name=value lines: blas=, epochs=, loss=, accuracy=, train_seconds=, seconds=.
"""
import argparse
import gzip
import os
import sys
import time
import warnings

START = time.monotonic()

import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402


def read_idx(path, magic):
    """The items of an IDX file of unsigned bytes (gzip or plain), as a uint8 array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    found = int.from_bytes(data[0:4], "big")
    if found != magic:
        sys.exit(f"{path}: magic number {found:#010x}, expected {magic:#010x}")
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, prefix):
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), 0x803)
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), 0x801)
    # float32 like the C++ trainer (MLPClassifier keeps float32 since scikit-learn 1.2)
    return images.reshape(len(images), -1).astype(np.float32) / np.float32(255), labels


def blas_in_use():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown"
    found = [f"{i['internal_api']} ({i['num_threads']} threads)"
             for i in threadpool_info() if i.get("user_api") == "blas"]
    # numpy on Debian's reference BLAS (libblas3) reports none: single-threaded, unoptimised
    return ", ".join(found) or "reference BLAS (libblas3, 1 thread)"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "t10k")
    model = MLPClassifier(
        hidden_layer_sizes=(256, 128),
        activation="relu",
        solver="adam",
        alpha=0.0,  # no L2 penalty
        batch_size=64,
        learning_rate_init=1e-3,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        max_iter=args.epochs,  # epochs, with the adam solver
        shuffle=True,
        random_state=args.seed,
        tol=0.0,
        n_iter_no_change=args.epochs + 1,  # never stop early
        early_stopping=False,
    )
    print(f"blas={blas_in_use()}", flush=True)
    fit_start = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x_train, y_train)
    train_seconds = time.monotonic() - fit_start
    accuracy = float((model.predict(x_test) == y_test).mean())
    print(f"epochs={model.n_iter_}")
    print(f"loss={model.loss_:.6f}")
    print(f"accuracy={accuracy:.4f}")
    print(f"train_seconds={train_seconds:.2f}")
    print(f"seconds={time.monotonic() - START:.2f}")


if __name__ == "__main__":
    main()
