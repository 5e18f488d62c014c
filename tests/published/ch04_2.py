# Section 4.2 (the Fashion-MNIST dataset) in the published book's style.
import time
import d2lcore as d2l

d2l.use_svg_display()
data = d2l.FashionMNIST(resize=(32, 32))
sizes = len(data.train), len(data.val)
first_image_shape = data.train[0][0].shape
X, y = next(iter(data.train_dataloader()))
tic = time.time()
for X, y in data.train_dataloader():
    continue
read_time = f'{time.time() - tic:.2f} sec'
batch = next(iter(data.val_dataloader()))
data.visualize(batch)
labels = data.text_labels(batch[1][:4])
