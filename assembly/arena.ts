/**
 * The arena: an explicit allocator over linear memory.
 *
 * The stub runtime's bump allocator cannot free, so every tensor of the library lives in
 * blocks handed out here instead. First fit over a free list kept in address order, so that
 * freeing a block can merge it with both neighbours in one pass; the list is short (a model
 * owns a few dozen blocks), so the linear walk costs nothing next to one training step.
 *
 * Block layout: a 16-byte header right before every payload keeps payloads 16-byte aligned.
 *   header + 0: u32   size of the whole block, header included (a multiple of 16)
 *   header + 4: u32   tag, USED or FREE (catches double frees and wild pointers)
 *   header + 8: usize next free block (free blocks only), 0 at the end of the list
 */

/** Bytes of a block's header; payloads are also rounded up to a multiple of it. */
export const HEADER: usize = 16;
/** The smallest block, header included. */
export const MIN_BLOCK: usize = 32;
const USED: u32 = 0xa110c8ed;
const FREE: u32 = 0xf4eeb10c;

let heapStart: usize = 0;
let heapEnd: usize = 0;
let freeHead: usize = 0;
let inUse: usize = 0;

// @ts-ignore: decorator
@inline function blockSize(block: usize): usize {
  return <usize>load<u32>(block);
}

// @ts-ignore: decorator
@inline function nextFree(block: usize): usize {
  return load<usize>(block, 8);
}

// @ts-ignore: decorator
@inline function setFree(block: usize, size: usize, next: usize): void {
  store<u32>(block, <u32>size);
  store<u32>(block, FREE, 4);
  store<usize>(block, next, 8);
}

/** Claims the memory after the static data on first use. Mutates the arena's globals once. */
function init(): void {
  if (heapStart != 0) return;
  heapStart = (__heap_base + 15) & ~<usize>15;
  heapEnd = heapStart;
  grow(0);
}

/** Bytes of the largest request the arena accepts: below it no size computation can wrap a u32. */
export const MAX_ALLOC: usize = 0xfff00000;

/**
 * Grows linear memory so that at least `bytes` more are free at the end, and adds the new
 * region to the free list (merging with a free block that ends at the old end). Returns false,
 * changing nothing, when the engine refuses to grow. Detaches every JS view of memory.
 */
function grow(bytes: usize): bool {
  const memEnd = <usize>memory.size() << 16;
  let avail = memEnd - heapEnd;
  if (avail < bytes + MIN_BLOCK) {
    // In u64: near the 4 GiB limit the page count does not fit a u32 computation.
    const need = <u64>bytes + <u64>MIN_BLOCK - <u64>avail;
    const pages = (need + 0xffff) >> 16;
    if (pages > 0x10000 || memory.grow(<i32>pages) < 0) return false;
  }
  const newEnd = (<usize>memory.size() << 16) & ~<usize>15;
  if (newEnd - heapEnd >= MIN_BLOCK) {
    const block = heapEnd;
    heapEnd = newEnd;
    insertFree(block, newEnd - block);
  }
  return true;
}

/**
 * Puts a block of `size` bytes at `block` on the free list in address order, merging it
 * with the free block just before and just after it when they touch. Mutates the list.
 */
function insertFree(block: usize, size: usize): void {
  let prev: usize = 0;
  let cur = freeHead;
  while (cur != 0 && cur < block) {
    prev = cur;
    cur = nextFree(cur);
  }
  if (prev != 0 && prev + blockSize(prev) == block) {
    size += blockSize(prev);
    block = prev;
  } else if (prev != 0) {
    store<usize>(prev, block, 8);
  } else {
    freeHead = block;
  }
  if (cur != 0 && block + size == cur) {
    size += blockSize(cur);
    cur = nextFree(cur);
  }
  setFree(block, size, cur);
}

/**
 * Allocates `bytes` (rounded up to 16) and returns a 16-byte aligned pointer to them, or 0 when
 * memory cannot grow enough (or `bytes` exceeds MAX_ALLOC): then nothing has changed but
 * possibly the size of memory. The contents are not cleared. Growing detaches JS views.
 */
export function tryAlloc(bytes: usize): usize {
  init();
  if (bytes > MAX_ALLOC) return 0;
  const size = max<usize>(MIN_BLOCK, ((bytes + 15) & ~<usize>15) + HEADER);
  for (;;) {
    let prev: usize = 0;
    let cur = freeHead;
    while (cur != 0) {
      const csize = blockSize(cur);
      if (csize >= size) {
        let next = nextFree(cur);
        let taken = csize;
        if (csize - size >= MIN_BLOCK) {
          // Split: the tail stays free, in the same place in the list.
          const rest = cur + size;
          setFree(rest, csize - size, next);
          next = rest;
          taken = size;
        }
        if (prev != 0) store<usize>(prev, next, 8);
        else freeHead = next;
        store<u32>(cur, <u32>taken);
        store<u32>(cur, USED, 4);
        inUse += taken;
        return cur + HEADER;
      }
      prev = cur;
      cur = nextFree(cur);
    }
    if (!grow(size)) return 0;
  }
  return 0; // unreachable: the loop returns a block or 0
}

/** As tryAlloc, but aborts when memory cannot grow (for callers that cannot fail: descriptors of a few bytes). */
export function alloc(bytes: usize): usize {
  const p = tryAlloc(bytes);
  if (p == 0) abort("arena: out of memory (memory.grow failed)");
  return p;
}

/** As tryAlloc, and fills the bytes with zeros; 0 when memory cannot grow. */
export function tryAllocZeroed(bytes: usize): usize {
  const p = tryAlloc(bytes);
  if (p != 0) memory.fill(p, 0, bytes);
  return p;
}

/** Allocates `bytes` and fills them with zeros. */
export function allocZeroed(bytes: usize): usize {
  const p = alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** Returns the block at `ptr` (from alloc) to the free list; free(0) does nothing. Aborts on a double free. */
export function free(ptr: usize): void {
  if (ptr == 0) return;
  const block = ptr - HEADER;
  if ((ptr & 15) != 0 || block < heapStart || block >= heapEnd || load<u32>(block, 4) != USED) {
    abort("arena: free of a pointer that is not a live allocation");
  }
  const size = blockSize(block);
  inUse -= size;
  insertFree(block, size);
}

/** Bytes held by live allocations, headers included. */
export function bytesInUse(): usize {
  return inUse;
}

/** Number of blocks on the free list (1 when everything freed has merged back). */
export function freeBlockCount(): i32 {
  init();
  let n = 0;
  let cur = freeHead;
  while (cur != 0) {
    n++;
    cur = nextFree(cur);
  }
  return n;
}

/** Size in bytes of the largest free block. */
export function largestFreeBlock(): usize {
  init();
  let best: usize = 0;
  let cur = freeHead;
  while (cur != 0) {
    best = max(best, blockSize(cur));
    cur = nextFree(cur);
  }
  return best;
}

/**
 * Walks the whole arena and checks its invariants: every block from the heap start to the
 * heap end has a sane header (a USED or FREE tag, a size that is a multiple of 16, at least
 * MIN_BLOCK and inside the heap), the blocks tile the heap exactly, the free list holds exactly
 * the FREE blocks in address order, no two free blocks touch (they would have been coalesced),
 * and the USED sizes sum to bytesInUse(). Returns 0 when all hold, else the number (1-7) of
 * the first check that failed. Reads only.
 */
export function arenaCheck(): i32 {
  init();
  let block = heapStart;
  let onList = freeHead;
  let used: usize = 0;
  let previousFree = false;
  while (block < heapEnd) {
    const size = blockSize(block);
    const tag = load<u32>(block, 4);
    if (size < MIN_BLOCK || (size & 15) != 0 || size > heapEnd - block) return 1;
    if (tag == USED) {
      used += size;
      previousFree = false;
    } else if (tag == FREE) {
      if (previousFree) return 2;
      if (block != onList) return 3;
      onList = nextFree(block);
      previousFree = true;
    } else {
      return 4;
    }
    block += size;
  }
  if (block != heapEnd) return 5;
  if (onList != 0) return 6;
  if (used != inUse) return 7;
  return 0;
}
