// Every test runs with allocateUninitialized poisoned (NaN, or the byte 0x5A): a kernel that
// leaves an element of its output unwritten fails its test instead of passing on zeros.
import { setPoisonUninitializedForTesting } from "../packages/core/src/dtype.js";

setPoisonUninitializedForTesting(true);
