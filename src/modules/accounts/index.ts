/** The accounts capability's public door. */
export { login, logout, resolveSession, getProfile, findUsers, getUser, createUser, updateUser, resetPassword, changeOwnPassword, ensureAdmin, actorForUser, purgeExpiredSessions, usernameTaken } from './service.ts';
export { accountRoutes } from './routes.ts';
export { ACCOUNTS } from './permissions.ts';
