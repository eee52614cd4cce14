/** One labelled image. Images are HWC RGB in [0,1]; labels are trainIds with 255 for void. */
export interface Sample {
  readonly id: string;
  readonly image: Float32Array;
  readonly label: Uint8Array;
  readonly height: number;
  readonly width: number;
}

/**
 * An indexable, fixed-size set of samples, all of the same height and width. `get` is synchronous so a
 * batch can be assembled without awaiting; file-backed data sets decode lazily on each call.
 */
export interface SegDataset {
  readonly name: string;
  readonly size: number;
  readonly height: number;
  readonly width: number;
  get(i: number): Sample;
  /** The files a file-backed data set reads (absent for synthetic ones), for a preflight check. */
  readonly files?: readonly string[];
}

/** Throws a uniform error for an index outside 0..size-1 (shared by every data set). */
export function checkIndex(dataset: string, i: number, size: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= size) {
    throw new RangeError(`${dataset}: index ${i} is outside 0..${size - 1}`);
  }
}
