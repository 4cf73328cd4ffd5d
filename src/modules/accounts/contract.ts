import { z } from 'zod';
import { ROLES } from '../../shared/access.ts';

const username = z
  .string()
  .trim()
  .min(3, '用户名至少 3 个字符 · at least 3 characters')
  .max(32, '用户名至多 32 个字符 · at most 32 characters')
  .regex(/^[a-zA-Z0-9_.-]+$/, '用户名只能包含字母、数字、下划线、点和连字符 · letters, digits, _ . - only');
const displayName = z.string().trim().min(1, '请填写姓名 · enter a name').max(50);
const phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '手机号应为 11 位，或带区号的固定电话 · an 11-digit mobile or a landline with area code')
  .nullable()
  .optional();
const areaCode = z.string().regex(/^\d{12}$/, '区划代码应为 12 位数字 · 12 digits').nullable();

export const loginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名 · enter the username').max(64),
  password: z.string().min(1, '请输入密码 · enter the password').max(256),
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  areaCode: z.string().nullable(),
  areaName: z.string().nullable(),
  /** Masked in lists ('138****5678'); full in a single read by a manager. */
  phone: z.string().nullable(),
  active: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type UserDto = z.infer<typeof userSchema>;

export const sessionSchema = z.object({
  user: userSchema,
  /** Send this in the x-csrf-token header on every POST, PUT, PATCH and DELETE. */
  csrfToken: z.string(),
  /** The actions the user's role holds (the client hides what the user may not do). */
  actions: z.array(z.string()),
  areaFullName: z.string().nullable(),
});
export type SessionDto = z.infer<typeof sessionSchema>;

export const createUserBody = z.object({
  username,
  displayName,
  role: z.enum(ROLES),
  areaCode,
  phone,
  /** Initial password; when omitted one is generated and returned once. The user must change it at first sign-in. */
  password: z.string().min(8).max(128).optional(),
});
export type CreateUserInput = z.infer<typeof createUserBody>;

export const updateUserBody = z.object({
  displayName: displayName.optional(),
  role: z.enum(ROLES).optional(),
  areaCode: areaCode.optional(),
  phone,
  active: z.boolean().optional(),
  unlock: z.boolean().optional(),
  /** The version the edit was based on; an older one is refused as stale (someone else saved first). */
  version: z.number().int().min(1),
});
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, '请输入当前密码 · enter the current password').max(256),
  newPassword: z.string().min(8, '新密码至少 8 位 · at least 8 characters').max(128),
});

export const userListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  role: z.enum(ROLES).optional(),
  areaCode: z.string().regex(/^\d{12}$/).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type UserListQuery = z.infer<typeof userListQuery>;

export const userCreatedSchema = z.object({ user: userSchema, initialPassword: z.string().nullable() });
export const passwordResetSchema = z.object({ temporaryPassword: z.string() });
