-- Argo CD health of drplane.io objects: the DisasterRecovery claim and every composite (X*) kind.
-- Argo CD runs this with gopher-lua (Lua 5.1) and the object in the global `obj`; it must return {status, message}.
-- Written for Lua 5.1: no goto, no integer division, no bitwise operators.
--
--   Healthy      Ready=True (and Synced is not False)
--   Progressing  no status or no conditions yet; Ready=False while creating (reason Creating on a composite,
--                Waiting on a claim: "Claim is waiting for composite resource to become Ready") or Deleting;
--                conditions older than metadata.generation (Crossplane has not seen the last commit yet)
--   Suspended    Synced=False with reason ReconcilePaused (crossplane.io/paused, as the failover runbook uses),
--                also when the spec changed while paused (Crossplane then updates only Synced)
--   Degraded     Synced=False at the current generation (a commit that breaks composition: Crossplane updates
--                only Synced, Ready keeps the old generation), or Ready=False with any other reason; the message
--                is the condition's
-- Synced=False is read before generation staleness, so a broken commit is never hidden behind "Waiting".
-- Argo CD opens only the base, table and package libraries and a safe os for health scripts: no string, no math.

local hs = { status = "Progressing", message = "Waiting for Crossplane to report the status" }

local function describe(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition.reason ~= nil then
    return condition.type .. "=" .. condition.status .. " (" .. condition.reason .. ")"
  end
  return condition.type .. "=" .. condition.status
end

local function stale(condition)
  local generation = obj.metadata and obj.metadata.generation
  return generation ~= nil and condition.observedGeneration ~= nil and condition.observedGeneration < generation
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Being deleted"
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  return hs
end

local synced = nil
local ready = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Synced" then
    synced = condition
  elseif condition.type == "Ready" then
    ready = condition
  end
end

if synced ~= nil and synced.status == "False" then
  if synced.reason == "ReconcilePaused" then
    hs.status = "Suspended"
    hs.message = describe(synced)
    return hs
  end
  if not stale(synced) then
    hs.status = "Degraded"
    hs.message = describe(synced)
    return hs
  end
end

if (synced ~= nil and stale(synced)) or (ready ~= nil and stale(ready)) then
  hs.message = "Waiting for Crossplane to observe generation " .. obj.metadata.generation
  if synced ~= nil and synced.status == "False" then
    hs.message = hs.message .. " (last error: " .. describe(synced) .. ")"
  end
  return hs
end

if ready == nil then
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready"
  return hs
end

if ready.status == "False" then
  local reason = ready.reason
  if reason == "Creating" or reason == "Waiting" or reason == "Deleting" then
    hs.message = describe(ready)
  else
    hs.status = "Degraded"
    hs.message = describe(ready)
  end
  return hs
end

hs.message = describe(ready)
return hs
