#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scikit-learn's MLPClassifier on Fashion-MNIST with the hyperparameters of a hyperparams
config in canonical form (as `hparams show` prints it): the reference side of
fashion_mnist_vs_sklearn.sh, which gives both sides the same file.

MLPClassifier can follow a config only with Adam without weight decay or amsgrad, a constant
learning rate without warmup, no dropout, and one of the activations relu, tanh, sigmoid
(logistic) and linear (identity); any other config is refused, naming the field in the way.
Prints name=value lines: blas=, epochs=, loss=, accuracy=, train_seconds=, seconds=.
"""
import argparse
import gzip
import json
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


def find(directory, name):
    """NAME.gz in directory, else NAME (as the C++ loader looks for them)."""
    path = os.path.join(directory, name)
    return path + ".gz" if os.path.exists(path + ".gz") else path


def load(directory, prefix):
    images = read_idx(find(directory, f"{prefix}-images-idx3-ubyte"), 0x803)
    labels = read_idx(find(directory, f"{prefix}-labels-idx1-ubyte"), 0x801)
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


ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic", "linear": "identity"}


def classifier(config):
    """The MLPClassifier of a canonical config; exits naming the field it cannot follow."""
    def refuse(pointer, what):
        sys.exit(f"scikit-learn's MLPClassifier cannot follow {pointer}: {what}")

    optimizer = config["optimizer"]
    if optimizer["name"] != "adam":
        refuse("/optimizer/name",
               f'"{optimizer["name"]}" (only adam is mapped onto its solvers)')
    if optimizer["weight_decay"] != 0 or optimizer["amsgrad"]:
        refuse("/optimizer", "weight_decay must be 0 and amsgrad false")
    schedule = config["lr_schedule"]
    if schedule["name"] != "constant" or schedule["warmup_epochs"] != 0:
        refuse("/lr_schedule", "adam runs at a constant rate without warmup")
    if config["dropout"] != 0:
        refuse("/dropout", "it has no dropout")
    if config["activation"] not in ACTIVATIONS:
        refuse("/activation", f'"{config["activation"]}" (it has {", ".join(ACTIVATIONS)})')
    epochs = config["epochs"]
    neurons = config["neurons"]  # one width for every layer, or one per layer
    widths = [neurons] * config["layers"] if isinstance(neurons, int) else neurons
    return MLPClassifier(
        hidden_layer_sizes=tuple(widths),
        activation=ACTIVATIONS[config["activation"]],
        solver="adam",
        alpha=0.0,  # no L2 penalty
        batch_size=config["batch_size"],
        learning_rate_init=config["learning_rate"],
        beta_1=optimizer["beta1"],
        beta_2=optimizer["beta2"],
        epsilon=optimizer["epsilon"],
        max_iter=epochs,  # epochs, with the adam solver
        shuffle=True,
        random_state=config["seed"] % 2**32,  # numpy takes 32-bit seeds
        tol=0.0,
        n_iter_no_change=epochs + 1,  # never stop early
        early_stopping=False,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", help="a config in canonical form (hparams show CONFIG)")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--check", action="store_true",
                        help="only check that MLPClassifier can follow the config")
    args = parser.parse_args()

    with open(args.config, encoding="utf-8") as f:
        model = classifier(json.load(f))
    if args.check:
        return
    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "t10k")
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
