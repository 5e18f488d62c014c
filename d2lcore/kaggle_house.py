"""The Kaggle house-price data and K-fold cross-validation (section 5.7).

`KaggleHouse` reads the competition's two CSV files with `download`, which serves a
verified local copy when there is one (see `d2lcore._sources`), standardizes the
numerical features, one-hot encodes the categorical ones and serves log prices.
`k_fold_data` cuts the training set into K folds and `k_fold` trains one linear
model per fold. pandas is needed only here, imported on first use.
"""

from __future__ import annotations

import torch

from ._lazy import LazyModule
from ._sources import DATA_URL, download, extract
from .data import DataModule
from .linear import LinearRegression

__all__ = [
    "DATA_URL",
    "KaggleHouse",
    "download",
    "extract",
    "k_fold",
    "k_fold_data",
]

pd = LazyModule("pandas", "KaggleHouse (section 5.7)")


class KaggleHouse(DataModule):
    """The Kaggle house-price data (section 5.7)."""

    def __init__(self, batch_size, train=None, val=None):
        super().__init__()
        self.save_hyperparameters()
        if self.train is None:
            self.raw_train = pd.read_csv(
                download(
                    DATA_URL + "kaggle_house_pred_train.csv",
                    self.root,
                    sha1_hash="585e9cc93e70b39160e7921475f9bcd7d31219ce",
                )
            )
            self.raw_val = pd.read_csv(
                download(
                    DATA_URL + "kaggle_house_pred_test.csv",
                    self.root,
                    sha1_hash="fa19780a7b011d9b009e8bff8e99922a8ee2eb90",
                )
            )

    def preprocess(self):
        """Standardize the numbers (with training statistics), fill their gaps
        with 0, one-hot encode the categories; keep self.train and self.val."""
        label = "SalePrice"
        train = self.raw_train.drop(columns=["Id", label])
        features = pd.concat((train, self.raw_val.drop(columns=["Id"])))
        numeric = features.select_dtypes(include="number").columns
        mean, std = train[numeric].mean(), train[numeric].std()
        features[numeric] = (features[numeric] - mean) / std
        features[numeric] = features[numeric].fillna(0)
        features = pd.get_dummies(features, dummy_na=True)
        self.train = features[: len(train)].copy()
        self.train[label] = self.raw_train[label]
        self.val = features[len(train) :].copy()

    def get_dataloader(self, train):
        label = "SalePrice"
        data = self.train if train else self.val
        if label not in data:  # the test set has no prices
            return None
        X = torch.tensor(data.drop(columns=[label]).values.astype(float))
        y = torch.tensor(data[label].values.astype(float))
        tensors = (X.float(), torch.log(y).float().reshape(-1, 1))
        return self.get_tensorloader(tensors, train)


def k_fold_data(data, k):
    """K data modules: fold j validates, the other K - 1 folds train."""
    rets = []
    fold_size = data.train.shape[0] // k
    for j in range(k):
        idx = range(j * fold_size, (j + 1) * fold_size)
        rest, fold = data.train.drop(index=idx), data.train.loc[idx]
        rets.append(KaggleHouse(data.batch_size, rest, fold))
    return rets


def k_fold(trainer, data, k, lr):
    """Train a linear model on each of the K folds; return the K models."""
    val_loss, models = [], []
    for i, data_fold in enumerate(k_fold_data(data, k)):
        model = LinearRegression(lr)
        model.board.yscale = "log"
        if i != 0:
            model.board.display = False
        trainer.fit(model, data_fold)
        val_loss.append(float(model.board.data["val_loss"][-1].y))
        models.append(model)
    print(f"average validation log mse = {sum(val_loss) / len(val_loss):.4f}")
    return models
