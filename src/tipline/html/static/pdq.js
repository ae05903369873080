// PDQ, Meta's perceptual hash of a photo, computed in the victim's browser so that the photo
// itself never leaves her phone. The steps are those of Meta's reference (ThreatExchange's
// pdqhashing, C++/Java/Python): luminance, two X-Y passes of Jarosz box filters, a 64x64
// decimation, the 16x16 corner of the 64x64 DCT, and a bit per coefficient above the median.
// Like the reference's file reader, a photo larger than 512 px is first shrunk to fit 512x512
// (the hash only looks at a 64x64 picture; shrinking is what keeps a 12 MP photo fast), and its
// pixels are read as stored, whatever its EXIF orientation (the 8 rotations and flips are
// matched by the bank anyway).

const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;
const THUMBNAIL_SIDE = 512;
const JAROSZ_DIVISOR = 128; // two passes of a window of 1/128th: one 64th of the picture
const JAROSZ_PASSES = 2;

// The 16x64 DCT-II rows PDQ keeps: frequencies 1 to 16 (the DC term is left out).
const DCT = (() => {
  const scale = Math.sqrt(2 / 64);
  const matrix = new Float64Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      matrix[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();

/** Luminance of RGBA pixels (the alpha channel is ignored, as the reference reads RGB). */
export function luminance(rgba, width, height) {
  const luma = new Float64Array(width * height);
  for (let p = 0, q = 0; p < luma.length; p++, q += 4) {
    luma[p] = LUMA_R * rgba[q] + LUMA_G * rgba[q + 1] + LUMA_B * rgba[q + 2];
  }
  return luma;
}

// One box filter along a line of `length` values `stride` apart; the window is centred and
// shrinks at both ends, as in the reference's four phases.
function box1D(input, output, start, length, stride, window) {
  const half = Math.floor((window + 2) / 2);
  let sum = 0;
  let count = 0;
  let right = start;
  let left = start;
  let out = start;
  for (let i = 0; i < half - 1; i++, right += stride) {
    sum += input[right];
    count++;
  }
  for (let i = 0; i < window - half + 1; i++, right += stride, out += stride) {
    sum += input[right];
    count++;
    output[out] = sum / count;
  }
  for (let i = 0; i < length - window; i++, left += stride, right += stride, out += stride) {
    sum += input[right] - input[left];
    output[out] = sum / count;
  }
  for (let i = 0; i < half - 1; i++, left += stride, out += stride) {
    sum -= input[left];
    count--;
    output[out] = sum / count;
  }
}

function jaroszWindow(dimension) {
  return Math.floor((dimension + JAROSZ_DIVISOR - 1) / JAROSZ_DIVISOR);
}

/** Blurs `luma` in place: X, Y, X, Y box passes make a tent filter. */
export function jaroszFilter(luma, width, height) {
  const scratch = new Float64Array(luma.length);
  const alongRows = jaroszWindow(width);
  const alongColumns = jaroszWindow(height);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    for (let row = 0; row < height; row++) box1D(luma, scratch, row * width, width, 1, alongRows);
    for (let col = 0; col < width; col++) box1D(scratch, luma, col, height, width, alongColumns);
  }
}

/** The 64x64 samples at the centres of a 64x64 grid over the blurred picture. */
export function decimate(luma, width, height) {
  const small = new Float64Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const row = Math.floor(((i + 0.5) * height) / 64);
    for (let j = 0; j < 64; j++) {
      small[i * 64 + j] = luma[row * width + Math.floor(((j + 0.5) * width) / 64)];
    }
  }
  return small;
}

/** PDQ's quality (0-100): the sum of significant gradients of the 64x64 picture. */
export function quality(small) {
  let gradients = 0;
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      const here = small[i * 64 + j];
      if (i < 63) gradients += Math.abs(Math.trunc(((here - small[(i + 1) * 64 + j]) * 100) / 255));
      if (j < 63) gradients += Math.abs(Math.trunc(((here - small[i * 64 + j + 1]) * 100) / 255));
    }
  }
  return Math.min(100, Math.trunc(gradients / 90));
}

/** D A Dᵀ: the 16x16 low frequencies of the 64x64 picture. */
export function dct16(small) {
  const partial = new Float64Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let k = 0; k < 64; k++) {
      const d = DCT[i * 64 + k];
      for (let j = 0; j < 64; j++) partial[i * 64 + j] += d * small[k * 64 + j];
    }
  }
  const out = new Float64Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum += partial[i * 64 + k] * DCT[j * 64 + k];
      out[i * 16 + j] = sum;
    }
  }
  return out;
}

/** 64 hex digits: bit i*16+j is set when coefficient (i, j) is above the median, and the hex
 * reads the 256-bit number most-significant bit first (bit 255 leads), as pdqhash prints it. */
export function hashBits(coefficients) {
  const median = Float64Array.from(coefficients).sort()[127]; // the lower median, as Torben's
  let hex = "";
  for (let bit = 255; bit >= 0; bit -= 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (coefficients[bit - b] > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

/** PDQ hash (64 hex) and quality of RGBA pixels. */
export function pdqFromPixels(rgba, width, height) {
  const luma = luminance(rgba, width, height);
  jaroszFilter(luma, width, height);
  const small = decimate(luma, width, height);
  return { pdq: hashBits(dct16(small)), quality: quality(small) };
}

/** The size a photo is shrunk to, like PIL's thumbnail((512, 512)): never enlarged. */
export function thumbnailSize(width, height) {
  const longest = Math.max(width, height);
  if (longest <= THUMBNAIL_SIDE) return { width, height };
  const scale = THUMBNAIL_SIDE / longest;
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

const ORIENTATION_TAG = 0x0112;

/** The bytes of a JPEG with its EXIF orientation set to 1 (as stored): browsers always turn a
 * photo upright, while PDQ's reference and tipline's server hash the pixels as stored. Any
 * other file is returned as it is. */
export function asStored(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0xffd8) return bytes;
  for (let at = 2; at + 4 <= bytes.length && bytes[at] === 0xff; ) {
    const marker = bytes[at + 1];
    const length = view.getUint16(at + 2);
    if (marker === 0xda) break; // the image data starts: no EXIF before it
    if (marker === 0xe1 && view.getUint32(at + 4) === 0x45786966) {
      return withOrientationOne(bytes, at + 10, Math.min(at + 2 + length, bytes.length));
    }
    at += 2 + length;
  }
  return bytes;
}

// `tiff` is where the EXIF block's TIFF header starts (after "Exif\0\0"), `end` its end.
function withOrientationOne(bytes, tiff, end) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, end);
  if (tiff + 8 > end) return bytes;
  const little = view.getUint16(tiff) === 0x4949; // "II"; "MM" is big-endian
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return bytes;
  const entries = view.getUint16(ifd, little);
  for (let k = 0; k < entries && ifd + 2 + 12 * (k + 1) <= end; k++) {
    const entry = ifd + 2 + 12 * k;
    if (view.getUint16(entry, little) === ORIENTATION_TAG) {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint16(entry + 8, 1, little);
      return copy;
    }
  }
  return bytes;
}

/** Decodes a picked file's bytes (as stored, see `asStored`), shrinks it and reads its pixels,
 * all in this page. */
export async function pixelsOf(bytes) {
  const decoding = { colorSpaceConversion: "none" };
  const full = await createImageBitmap(new Blob([asStored(bytes)]), decoding);
  const size = thumbnailSize(full.width, full.height);
  let bitmap = full;
  if (size.width !== full.width || size.height !== full.height) {
    const shrink = { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: "high" };
    bitmap = await createImageBitmap(full, shrink);
    full.close();
  }
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { rgba: context.getImageData(0, 0, size.width, size.height).data, ...size };
}

/** PDQ hash and quality of an image file's bytes (a Uint8Array), computed in the browser. */
export async function pdqOfImage(bytes) {
  const { rgba, width, height } = await pixelsOf(bytes);
  return pdqFromPixels(rgba, width, height);
}
