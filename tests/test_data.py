import pytest
import torch

import d2lcore as d2l


def test_tensor_loader_batches_and_length():
    X, y = torch.arange(10).reshape(10, 1), torch.arange(10)
    loader = d2l.TensorLoader((X, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert torch.equal(torch.cat([b[1] for b in batches]), y)  # fixed order


def test_tensor_loader_shuffles_with_global_seed():
    y = torch.arange(100)
    loader = d2l.TensorLoader((y,), batch_size=100, shuffle=True)
    torch.manual_seed(1)
    first = next(iter(loader))[0]
    torch.manual_seed(1)
    again = next(iter(loader))[0]
    assert torch.equal(first, again) and not torch.equal(first, y)
    assert torch.equal(first.sort().values, y)


def test_tensor_loader_applies_transform():
    X = torch.full((3, 2), 255, dtype=torch.uint8)
    batch = next(iter(d2l.TensorLoader((X,), 2, transform=lambda b: b.float() / 255)))
    assert batch[0].dtype == torch.float32 and torch.all(batch[0] == 1)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        d2l.TensorLoader((torch.ones(3),), batch_size)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        d2l.SyntheticRegressionData([1.0], 0.0, batch_size=batch_size)


def test_tensor_loader_unequal_lengths():
    with pytest.raises(ValueError, match="equal length"):
        d2l.TensorLoader((torch.ones(3), torch.ones(4)), 2)


def test_synthetic_regression_data():
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2, noise=0.0,
                                       num_train=100, num_val=50, batch_size=32)
    assert data.X.shape == (150, 2) and data.y.shape == (150, 1)
    torch.testing.assert_close(data.y, data.X @ torch.tensor([[2], [-3.4]]) + 4.2)
    assert len(data.train_dataloader()) == 4 and len(data.val_dataloader()) == 2
    X, y = next(iter(data.val_dataloader()))
    assert torch.equal(X, data.X[100:132])


def test_synthetic_regression_data_bad_w():
    with pytest.raises(ValueError, match="1-D weight vector"):
        d2l.SyntheticRegressionData(w=[[1.0, 2.0]], b=0.0)


def test_data_module_needs_get_dataloader():
    with pytest.raises(NotImplementedError, match="must define get_dataloader"):
        d2l.DataModule().train_dataloader()


def test_data_module_workers():
    with pytest.raises(ValueError, match="num_workers"):
        d2l.DataModule(num_workers=-1)

    class Data(d2l.DataModule):
        def __init__(self):
            super().__init__(num_workers=1)
            self.batch_size = 2

        def get_dataloader(self, train):
            return self.get_tensorloader((torch.arange(4),), train)

    loader = Data().val_dataloader()
    assert isinstance(loader, torch.utils.data.DataLoader)
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3]]


def test_synthetic_sizes_accept_integer_scalars():
    import numpy as np
    data = d2l.SyntheticRegressionData(w=[1.0], b=0.0, num_train=np.int64(40),
                                       num_val=torch.tensor(8), batch_size=8)
    assert len(data.X) == 48 and len(data.train_dataloader()) == 5
