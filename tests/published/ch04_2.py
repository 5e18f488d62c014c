# Section 4.2 (the Fashion-MNIST dataset) in the published book's style.
import time

import torch
import torchvision
from torchvision import transforms

import d2lcore as d2l

d2l.use_svg_display()


# The section's own class hands self.root to torchvision, with download=True
# (the test runs it offline on an empty cache).
class FashionMNIST(d2l.DataModule):
    def __init__(self, batch_size=64, resize=(28, 28)):
        super().__init__()
        self.save_hyperparameters()
        trans = transforms.Compose(
            [transforms.Resize(resize), transforms.ToTensor()]
        )
        self.train = torchvision.datasets.FashionMNIST(
            root=self.root, train=True, transform=trans, download=True
        )
        self.val = torchvision.datasets.FashionMNIST(
            root=self.root, train=False, transform=trans, download=True
        )


@d2l.add_to_class(FashionMNIST)
def get_dataloader(self, train):
    data = self.train if train else self.val
    return torch.utils.data.DataLoader(
        data, self.batch_size, shuffle=train, num_workers=self.num_workers
    )


own = FashionMNIST(resize=(32, 32))
own_sizes = len(own.train), len(own.val)
own_X, own_y = next(iter(own.val_dataloader()))

# The library's class, which the later sections use.
data = d2l.FashionMNIST(resize=(32, 32))
sizes = len(data.train), len(data.val)
first_image_shape = data.train[0][0].shape
X, y = next(iter(data.train_dataloader()))
tic = time.time()
for X, y in data.train_dataloader():
    continue
read_time = f"{time.time() - tic:.2f} sec"
batch = next(iter(data.val_dataloader()))
data.visualize(batch)
labels = data.text_labels(batch[1][:4])
