import { createHash } from 'node:crypto';

/** A Lua script run with EVALSHA (EVAL when the server does not know it yet, e.g. after a restart). */
export interface StoreScript {
  readonly source: string;
  readonly sha1: string;
}

function script(source: string): StoreScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

// Each record is one hash: tokenHash, ownerHash, holder, snapshot. One key per script, so every
// script runs on one shard of a Redis Cluster too; each runs atomically.

/** ARGV: tokenHash, ownerHash, holder, snapshot, ttlMs. 1 saved, 0 another holder has it. */
export const SAVE = script(`
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder and holder ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'tokenHash', ARGV[1], 'ownerHash', ARGV[2], 'holder', ARGV[3], 'snapshot', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`);

/** ARGV: tokenHash, ownerHash, newHolder. {'taken', snapshot} | {'unknown'} | {'wrong_owner'}. */
export const TAKE = script(`
local f = redis.call('HMGET', KEYS[1], 'tokenHash', 'ownerHash', 'snapshot')
if not f[1] or f[1] == '' or f[1] ~= ARGV[1] then return {'unknown'} end
if f[2] ~= ARGV[2] then return {'wrong_owner'} end
redis.call('HSET', KEYS[1], 'tokenHash', '', 'holder', ARGV[3])
return {'taken', f[3]}
`);

/** ARGV: holder, ttlMs ('' to leave the TTL). 'kept' | 'superseded' | 'missing'. */
export const TOUCH = script(`
local holder = redis.call('HGET', KEYS[1], 'holder')
if not holder then return 'missing' end
if holder ~= ARGV[1] then return 'superseded' end
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 'kept'
`);

/** ARGV: holder. Deletes the record only while `holder` holds it. */
export const DELETE = script(`
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);
