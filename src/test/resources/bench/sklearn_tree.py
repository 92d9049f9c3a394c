"""Fit scikit-learn's DecisionTreeRegressor(max_depth=12) on the CSVs TrainingBenchmark exports.

Usage: /usr/bin/python3 sklearn_tree.py train.csv test.csv
Prints one line: sklearn_fit_s=<best of 3> sklearn_predict_s=<s> sklearn_mae=<mae> rows=<n>
CSV layout: header, feature columns, last column is the target.
"""
import sys
import time

import numpy as np
from sklearn.tree import DecisionTreeRegressor


def load(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def main():
    x_train, y_train = load(sys.argv[1])
    x_test, y_test = load(sys.argv[2])
    fits = []
    for _ in range(3):
        model = DecisionTreeRegressor(max_depth=12, random_state=0)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        fits.append(time.perf_counter() - start)
    start = time.perf_counter()
    predicted = model.predict(x_test)
    predict_s = time.perf_counter() - start
    mae = float(np.mean(np.abs(predicted - y_test)))
    print("sklearn_fit_s=%.3f sklearn_predict_s=%.3f sklearn_mae=%.3f rows=%d"
          % (min(fits), predict_s, mae, len(y_train)))


if __name__ == "__main__":
    main()
