-- Argo CD health of an argoproj.io Application, for the app of apps: the root Application syncs its children
-- in sync waves and starts a wave only when every Application of the previous one is Healthy. Argo CD removed
-- the built-in Application health in 1.8, so without this the root would not wait at all.
-- Written for Lua 5.1 (gopher-lua): no goto, no integer division, no bitwise operators.
--
--   Healthy      the child is Healthy AND Synced: a child whose resources are not applied yet is not done
--                (since 3.4 Argo CD no longer lets a Missing resource lower the child's own health)
--   Progressing  no status yet, a sync operation running, OutOfSync, or health Progressing/Missing/Unknown
--   Suspended    the child reports Suspended
--   Degraded     the child is Degraded, or its last sync operation failed (the root retries with backoff)
--
-- A child annotated drplane.io/health-gate: sync (the claims Applications) is Healthy once its last sync operation
-- succeeded, or when it is Synced without ever needing one (a team folder whose claims are all applied, or one with
-- no claim yet): the root waits for the claims to be applied, not for the estates to be built (an Aurora global
-- database takes most of an hour) nor for an estate that AWS keeps Degraded. Their own health stays visible.

local hs = { status = "Progressing", message = "Waiting for the first reconciliation" }

if obj.status == nil then
  return hs
end

local annotations = (obj.metadata and obj.metadata.annotations) or {}
local health = obj.status.health or {}
local sync = obj.status.sync or {}
local operation = obj.status.operationState

if operation ~= nil and (operation.phase == "Running" or operation.phase == "Terminating") then
  hs.message = "Sync " .. operation.phase .. ": " .. (operation.message or "")
  return hs
end

if annotations["drplane.io/health-gate"] == "sync" then
  if operation ~= nil and operation.phase == "Succeeded" then
    hs.status = "Healthy"
    hs.message = "Applied; health of the estates: " .. (health.status or "unknown")
  elseif sync.status == "Synced" then
    -- Argo CD auto-syncs only what is OutOfSync: a folder in sync from the start never gets an operation.
    hs.status = "Healthy"
    hs.message = "Nothing to apply, in sync with git; health of the estates: " .. (health.status or "unknown")
  elseif operation == nil then
    hs.message = "Waiting for the first sync"
  else
    hs.status = "Degraded"
    hs.message = "Sync " .. operation.phase .. ": " .. (operation.message or "")
  end
  return hs
end

if health.status == "Degraded" then
  hs.status = "Degraded"
  hs.message = health.message or "Degraded"
  return hs
end

if operation ~= nil and (operation.phase == "Failed" or operation.phase == "Error") and sync.status ~= "Synced" then
  hs.status = "Degraded"
  hs.message = "Sync " .. operation.phase .. ": " .. (operation.message or "")
  return hs
end

if health.status == "Suspended" then
  hs.status = "Suspended"
  hs.message = health.message or "Suspended"
  return hs
end

if health.status == "Healthy" and sync.status == "Synced" then
  hs.status = "Healthy"
  hs.message = "Synced and healthy"
  return hs
end

hs.message = "Health " .. (health.status or "unknown") .. ", sync " .. (sync.status or "unknown")
if health.message ~= nil and health.message ~= "" then
  hs.message = hs.message .. ": " .. health.message
end
return hs
