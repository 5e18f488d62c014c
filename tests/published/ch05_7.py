# Section 5.7 (predicting house prices on Kaggle) in the published style:
# the data module fetches both files with d2l.download and d2l.DATA_URL, pandas
# preprocesses them, k_fold trains a d2l.LinearRegression per fold, and the
# averaged predictions go into a submission file (here in a temporary folder).
import os
import tempfile

import pandas as pd

import d2lcore as d2l


class KaggleHouse(d2l.DataModule):
    def __init__(self, batch_size, train=None, val=None):
        super().__init__()
        self.save_hyperparameters()
        if self.train is None:
            self.raw_train = pd.read_csv(
                d2l.download(
                    d2l.DATA_URL + 'kaggle_house_pred_train.csv',
                    self.root,
                    sha1_hash='585e9cc93e70b39160e7921475f9bcd7d31219ce',
                )
            )
            self.raw_val = pd.read_csv(
                d2l.download(
                    d2l.DATA_URL + 'kaggle_house_pred_test.csv',
                    self.root,
                    sha1_hash='fa19780a7b011d9b009e8bff8e99922a8ee2eb90',
                )
            )


data = KaggleHouse(batch_size=64)
shapes = data.raw_train.shape, data.raw_val.shape
first_rows = data.raw_train.iloc[:4, [0, 1, 2, 3, -3, -2, -1]]


@d2l.add_to_class(KaggleHouse)
def preprocess(self):
    label = 'SalePrice'
    features = pd.concat(
        (
            self.raw_train.drop(columns=['Id', label]),
            self.raw_val.drop(columns=['Id']),
        )
    )
    numeric_features = features.select_dtypes(include='number').columns
    features[numeric_features] = features[numeric_features].apply(
        lambda x: (x - x.mean()) / (x.std())
    )
    features[numeric_features] = features[numeric_features].fillna(0)
    features = pd.get_dummies(features, dummy_na=True)
    self.train = features[: self.raw_train.shape[0]].copy()
    self.train[label] = self.raw_train[label]
    self.val = features[self.raw_train.shape[0] :].copy()


data.preprocess()


@d2l.add_to_class(KaggleHouse)
def get_dataloader(self, train):
    label = 'SalePrice'
    data = self.train if train else self.val
    if label not in data:
        return
    get_tensor = lambda x: d2l.tensor(
        x.values.astype(float),  # noqa: E731
        dtype=d2l.float32,
    )
    tensors = (
        get_tensor(data.drop(columns=[label])),
        d2l.reshape(d2l.log(get_tensor(data[label])), (-1, 1)),
    )
    return self.get_tensorloader(tensors, train)


def k_fold_data(data, k):
    rets = []
    fold_size = data.train.shape[0] // k
    for j in range(k):
        idx = range(j * fold_size, (j + 1) * fold_size)
        rets.append(
            KaggleHouse(
                data.batch_size,
                data.train.drop(index=idx),
                data.train.loc[idx],
            )
        )
    return rets


def k_fold(trainer, data, k, lr):
    val_loss, models = [], []
    for i, data_fold in enumerate(k_fold_data(data, k)):
        model = d2l.LinearRegression(lr)
        model.board.yscale = 'log'
        if i != 0:
            model.board.display = False
        trainer.fit(model, data_fold)
        val_loss.append(float(model.board.data['val_loss'][-1].y))
        models.append(model)
    print(f'average validation log mse = {sum(val_loss) / len(val_loss)}')
    return models, val_loss


trainer = d2l.Trainer(max_epochs=10)
models, val_loss = k_fold(trainer, data, k=5, lr=0.01)

preds = [
    model(d2l.tensor(data.val.values.astype(float), dtype=d2l.float32))
    for model in models
]
ensemble_preds = d2l.reduce_mean(d2l.exp(d2l.concat(preds, 1)), 1)
submission = pd.DataFrame(
    {'Id': data.raw_val.Id, 'SalePrice': d2l.numpy(ensemble_preds)}
)
out_dir = tempfile.mkdtemp()
submission.to_csv(os.path.join(out_dir, 'submission.csv'), index=False)
written = pd.read_csv(os.path.join(out_dir, 'submission.csv'))
