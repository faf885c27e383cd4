export { CreditTree, leafNode, parentNode, rootFromPath, sortLeaves, sumBytes, isCreditKey, type CreditLeaf, type ProofStep, type TreeNode } from './credit-tree.js';
export { statementBytes, signStatement, statementSignedBy, publicKeyFromRaw, rawPublicKey, type CreditStatement } from './statement.js';
export { loadOrCreatePoolIdentity, type PoolIdentity } from './pool-identity.js';
export { createCreditRoots, type CreditRoots } from './credit-roots.js';
export { openCreditRoots, type PublishedRoot, type RootWithSplit } from './credit-roots-sql.js';
export { publishRootsOnSettle } from './settle-hook.js';
