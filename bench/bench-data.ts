/** Ten distinct products that need no prescription and never run out in the benchmark seed. */
export const BENCH_PRODUCTS = [1, 2, 4, 5, 7, 9, 10, 11, 12, 13] as const;
