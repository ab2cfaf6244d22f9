// SPDX-License-Identifier: MIT
// The IDX reader on small files written here, plain and gzip-compressed, and its errors.
#include "catch_compat.hpp"

#include "idx.hpp"

#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;
using fashion_mnist::DatasetError;

namespace {

using Bytes = std::vector<unsigned char>;

void put_u32(Bytes& out, std::uint32_t v) {
  for (const unsigned shift : {24U, 16U, 8U, 0U}) {
    out.push_back(static_cast<unsigned char>((v >> shift) & 0xFFU));
  }
}

/// An IDX image file: `count` images of rows x cols with pixel i of the file equal to i % 256.
Bytes image_file(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                 std::size_t pixels_written, std::uint32_t magic = 0x00000803U) {
  Bytes out;
  put_u32(out, magic);
  put_u32(out, count);
  put_u32(out, rows);
  put_u32(out, cols);
  for (std::size_t i = 0; i < pixels_written; ++i) {
    out.push_back(static_cast<unsigned char>(i % 256));
  }
  return out;
}

Bytes image_file(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
  return image_file(count, rows, cols, std::size_t{count} * rows * cols);
}

Bytes label_file(const std::vector<unsigned char>& labels, std::uint32_t magic = 0x00000801U) {
  Bytes out;
  put_u32(out, magic);
  put_u32(out, static_cast<std::uint32_t>(labels.size()));
  out.insert(out.end(), labels.begin(), labels.end());
  return out;
}

/// A fresh directory, removed with its files at the end of the test.
class TempDir {
public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() / ("fashion_mnist_idx_test_" + std::to_string(::getpid()) +
                                         "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }

  fs::path write(const std::string& name, const Bytes& bytes) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  fs::path write_gz(const std::string& name, const Bytes& bytes) const {
    const fs::path p = path_ / name;
    gzFile file = gzopen(p.string().c_str(), "wb");
    REQUIRE(file != nullptr);
    REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) ==
            static_cast<int>(bytes.size()));
    REQUIRE(gzclose(file) == Z_OK);
    return p;
  }

  [[nodiscard]] const fs::path& path() const { return path_; }

private:
  fs::path path_;
};

Bytes read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The message of the DatasetError that `f` throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const DatasetError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("idx images are read plain and gzipped, scaled to 0..1, one image per row", "[idx]") {
  TempDir dir;
  const Bytes bytes = image_file(3, 2, 4); // pixels 0, 1, ..., 23
  for (const auto& path : {dir.write("plain-idx3-ubyte", bytes), dir.write_gz("x.gz", bytes)}) {
    INFO(path);
    const auto images = fashion_mnist::read_idx_images(path);
    CHECK(images.count == 3);
    CHECK(images.height == 2);
    CHECK(images.width == 4);
    REQUIRE(images.pixels.rows() == 3);
    REQUIRE(images.pixels.cols() == 8);
    CHECK(images.pixels(0, 0) == 0.0F);
    CHECK(std::abs(images.pixels(1, 2) - 10.0F / 255.0F) < 1e-7F); // pixel 8 + 2
    CHECK(std::abs(images.pixels(2, 7) - 23.0F / 255.0F) < 1e-7F);
  }
  // a full-range pixel is exactly 1
  Bytes white = image_file(1, 1, 1, 0);
  white.push_back(255);
  CHECK(fashion_mnist::read_idx_images(dir.write("white", white)).pixels(0, 0) == 1.0F);
}

TEST_CASE("idx labels are read plain and gzipped", "[idx]") {
  TempDir dir;
  const Bytes bytes = label_file({3, 0, 9, 1});
  for (const auto& path : {dir.write("labels", bytes), dir.write_gz("labels.gz", bytes)}) {
    const auto labels = fashion_mnist::read_idx_labels(path);
    CHECK(labels.count == 4);
    CHECK(labels.labels == std::vector<std::uint8_t>{3, 0, 9, 1});
  }
}

TEST_CASE("a limit reads only the first samples", "[idx]") {
  TempDir dir;
  const auto images = fashion_mnist::read_idx_images(dir.write_gz("i.gz", image_file(5, 2, 2)), 2);
  CHECK(images.pixels.rows() == 2);
  CHECK(images.count == 5);
  CHECK(fashion_mnist::read_idx_labels(dir.write("l", label_file({1, 2, 3})), 2).labels ==
        std::vector<std::uint8_t>{1, 2});
}

TEST_CASE("a split is read from a directory, with or without .gz", "[idx]") {
  TempDir dir;
  dir.write_gz("train-images-idx3-ubyte.gz", image_file(4, 3, 3));
  dir.write("train-labels-idx1-ubyte", label_file({0, 1, 2, 3}));
  const auto data = fashion_mnist::load_split(dir.path(), "train");
  CHECK(data.size() == 4);
  CHECK(data.pixels() == 9);
  CHECK(data.images.rows() == 4);
  CHECK(data.labels == std::vector<std::uint8_t>{0, 1, 2, 3});
  CHECK(fashion_mnist::load_split(dir.path(), "train", 3).size() == 3);
}

TEST_CASE("a wrong magic number is an error naming the file and both numbers", "[idx]") {
  TempDir dir;
  const auto labels = dir.write("labels", label_file({1, 2}));
  const auto message = error_of([&] { (void)fashion_mnist::read_idx_images(labels); });
  CHECK_THAT(message, hptest::Contains(labels.string()));
  CHECK_THAT(message, hptest::Contains("magic number 0x00000801, expected 0x00000803"));
  const auto images = dir.write_gz("images.gz", image_file(1, 1, 1));
  CHECK_THAT(error_of([&] { (void)fashion_mnist::read_idx_labels(images); }),
             hptest::Contains("not an IDX label file"));
}

TEST_CASE("a truncated file is an error", "[idx]") {
  TempDir dir;
  // the header announces 3 images of 2x2, the file holds 10 of the 12 pixels
  const Bytes short_images = image_file(3, 2, 2, 10);
  for (const auto& path :
       {dir.write("short", short_images), dir.write_gz("short.gz", short_images)}) {
    const auto message = error_of([&] { (void)fashion_mnist::read_idx_images(path); });
    CHECK_THAT(message, hptest::Contains(path.string()));
    CHECK_THAT(message, hptest::Contains("truncated"));
  }
  // a header cut short
  Bytes header = image_file(3, 2, 2, 0);
  header.resize(10);
  CHECK_THAT(error_of([&] { (void)fashion_mnist::read_idx_images(dir.write("h", header)); }),
             hptest::Contains("truncated"));
  // a gzip stream cut in the middle
  const auto whole = dir.write_gz("whole.gz", image_file(50, 20, 20));
  Bytes cut = read_bytes(whole);
  cut.resize(cut.size() / 2);
  const auto cut_path = dir.write("cut.gz", cut);
  const auto message = error_of([&] { (void)fashion_mnist::read_idx_images(cut_path); });
  CHECK_THAT(message, hptest::Contains(cut_path.string()));
  CHECK(!message.empty());
  // labels too
  Bytes labels = label_file({1, 2, 3});
  labels.pop_back();
  CHECK_THAT(error_of([&] { (void)fashion_mnist::read_idx_labels(dir.write("l", labels)); }),
             hptest::Contains("truncated"));
}

TEST_CASE("data after the announced items is an error", "[idx]") {
  TempDir dir;
  Bytes bytes = label_file({1, 2});
  bytes.push_back(3);
  CHECK_THAT(error_of([&] { (void)fashion_mnist::read_idx_labels(dir.write("l", bytes)); }),
             hptest::Contains("data after the last item"));
}

TEST_CASE("bad image sizes and empty files are errors", "[idx]") {
  TempDir dir;
  CHECK_THAT(
      error_of([&] { (void)fashion_mnist::read_idx_images(dir.write("z", image_file(1, 0, 5))); }),
      hptest::Contains("bad image size 0x5"));
  CHECK_THAT(
      error_of([&] { (void)fashion_mnist::read_idx_images(dir.write("n", image_file(0, 2, 2))); }),
      hptest::Contains("holds no items"));
  CHECK_THAT(error_of([&] { (void)fashion_mnist::read_idx_images(dir.write("e", Bytes{})); }),
             hptest::Contains("truncated"));
}

TEST_CASE("a label outside the classes is an error", "[idx]") {
  TempDir dir;
  const auto path = dir.write("l", label_file({1, 10, 2}));
  const auto message = error_of([&] { (void)fashion_mnist::read_idx_labels(path); });
  CHECK_THAT(message, hptest::Contains(path.string()));
  CHECK_THAT(message, hptest::Contains("label 10 of item 1 is not a class (0 to 9)"));
}

TEST_CASE("images and labels of different counts are an error", "[idx]") {
  TempDir dir;
  dir.write("t10k-images-idx3-ubyte", image_file(3, 2, 2));
  dir.write("t10k-labels-idx1-ubyte", label_file({1, 2}));
  // also when a limit reads fewer samples than both files hold
  for (const std::size_t limit : {fashion_mnist::all_samples, std::size_t{1}}) {
    const auto message =
        error_of([&] { (void)fashion_mnist::load_split(dir.path(), "t10k", limit); });
    CHECK_THAT(message, hptest::Contains("holds 3 images"));
    CHECK_THAT(message, hptest::Contains("holds 2 labels"));
  }
}

TEST_CASE("a missing file or directory says how to get the dataset", "[idx]") {
  TempDir dir;
  const auto missing = dir.path() / "train-images-idx3-ubyte.gz";
  const auto message = error_of([&] { (void)fashion_mnist::read_idx_images(missing); });
  CHECK_THAT(message, hptest::Contains(missing.string()));
  CHECK_THAT(message, hptest::Contains("apt-get install dataset-fashion-mnist"));

  CHECK_THAT(error_of([&] { (void)fashion_mnist::load_split(dir.path(), "train"); }),
             hptest::Contains("apt-get install dataset-fashion-mnist` or pass --data DIR"));
  const auto no_dir = dir.path() / "nowhere";
  const auto dir_message = error_of([&] { (void)fashion_mnist::load_split(no_dir, "train"); });
  CHECK_THAT(dir_message, hptest::Contains(no_dir.string()));
  CHECK_THAT(dir_message, hptest::Contains("apt-get install dataset-fashion-mnist"));
}

TEST_CASE("a damaged or cut gzip trailer is an error", "[idx]") {
  TempDir dir;
  // zlib checks the trailer (CRC-32, then the length) when it reaches the end of the data: at
  // the first read of a small file, at the read of the pixels of a larger one
  for (const std::uint32_t images : {1U, 5000U}) {
    CAPTURE(images);
    const auto good = dir.write_gz("images.gz", image_file(images, 28, 28));
    CHECK(fashion_mnist::read_idx_images(good).pixels.rows() == images);
    Bytes bytes = read_bytes(good);
    REQUIRE(bytes.size() > 8);
    bytes[bytes.size() - 8] ^= 0x01U; // a bit of the CRC-32
    const auto bad = dir.write("bad.gz", bytes);
    const auto message = error_of([&] { (void)fashion_mnist::read_idx_images(bad); });
    CHECK_THAT(message, hptest::Contains(bad.string()));
    CHECK_THAT(message, hptest::Contains("incorrect data check"));
  }
  // a trailer without its length: zlib reports it at the read after the data (the check for
  // extra data) where the whole file was read at once (zlib 1.2.13 does not report it at all
  // after a read that ends exactly at the end of the data)
  Bytes cut = read_bytes(dir.write_gz("labels.gz", label_file({1, 2, 3})));
  cut.resize(cut.size() - 4);
  const auto cut_path = dir.write("cut.gz", cut);
  const auto message = error_of([&] { (void)fashion_mnist::read_idx_labels(cut_path); });
  CHECK_THAT(message, hptest::Contains(cut_path.string() + ": corrupt at its end"));
  CHECK_THAT(message, hptest::Contains("unexpected end of file"));
}

TEST_CASE("a damaged file in a split says how to replace it", "[idx]") {
  TempDir dir;
  dir.write_gz("train-images-idx3-ubyte.gz", image_file(3, 2, 2, 10)); // truncated
  dir.write_gz("train-labels-idx1-ubyte.gz", label_file({1, 2, 3}));
  const auto message = error_of([&] { (void)fashion_mnist::load_split(dir.path(), "train"); });
  CHECK_THAT(message, hptest::Contains("truncated"));
  CHECK_THAT(message, hptest::Contains(
                          "apt-get install --reinstall dataset-fashion-mnist` or pass --data DIR"));
}
