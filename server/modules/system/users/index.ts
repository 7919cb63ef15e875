/** Console users: routes and service, plus the user records and password rules auth and api-keys build on. */
export { assertPasswordStrength, hashPassword, minPasswordLength, verifyAgainstDummy, verifyPassword } from './passwords';
export { createUsersRepository, inTransaction, type UserRecord, type UsersRepository } from './users.repository';
export { usersRoutes } from './users.routes';
export { createUsersService, type UsersService, type UsersServiceDeps } from './users.service';
