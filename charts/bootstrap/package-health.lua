-- Argo CD health of Crossplane packages drplane installs: pkg.crossplane.io Provider and Function.
-- Argo CD runs this with gopher-lua (Lua 5.1) and the object in the global `obj`; it must return {status, message}.
-- It replaces Argo CD's built-in Provider check, which concatenates the reasons of Installed and Healthy and raises
-- an error (health Unknown, a sync that waits on it stays Running) when a Provider has conditions but not both, and
-- the built-in *.crossplane.io check a Function gets otherwise (Degraded while paused, Healthy with Installed=False).
-- Conditions and reasons are Crossplane v2.3.4's (apis/pkg/v1/conditions.go, internal/controller/pkg/manager):
--
--   Healthy      Installed=True and Healthy=True (whatever else is there: Crossplane core adds Synced=False,
--                ReconcilePaused to a paused package that is installed)
--   Degraded     Installed=False (UnpackingPackage: the package cannot be pulled or read) or Healthy=False
--                (UnhealthyPackageRevision), with the condition's message
--   Suspended    Installed=False with reason InactivePackageRevision: revisionActivationPolicy Manual and the
--                current revision not activated yet
--   Progressing  no status, no conditions, or Installed/Healthy missing (a paused package the package manager never
--                installed has Synced=False, ReconcilePaused only; a new package before its first report) or
--                Healthy=Unknown (UnknownPackageRevisionHealth)
-- Argo CD opens only the base, table and package libraries and a safe os for health scripts: no string, no math.

local hs = { status = "Progressing", message = "Waiting for the package manager to install the package" }

local function describe(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  if condition.reason ~= nil then
    return condition.type .. "=" .. condition.status .. " (" .. condition.reason .. ")"
  end
  return condition.type .. "=" .. condition.status
end

if obj.status == nil or obj.status.conditions == nil then
  return hs
end

local installed = nil
local healthy = nil
local paused = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Installed" then
    installed = condition
  elseif condition.type == "Healthy" then
    healthy = condition
  elseif condition.type == "Synced" and condition.status == "False" and condition.reason == "ReconcilePaused" then
    paused = condition
  end
end

if installed ~= nil and installed.status == "False" then
  if installed.reason == "InactivePackageRevision" then
    hs.status = "Suspended"
    hs.message = "The current revision is inactive (revisionActivationPolicy: Manual): activate it to install it"
    return hs
  end
  hs.status = "Degraded"
  hs.message = describe(installed)
  return hs
end

if healthy ~= nil and healthy.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(healthy)
  return hs
end

if installed ~= nil and installed.status == "True" and healthy ~= nil and healthy.status == "True" then
  hs.status = "Healthy"
  hs.message = "Installed and healthy"
  return hs
end

if installed == nil or healthy == nil then
  if paused ~= nil then
    hs.message = "Paused (crossplane.io/paused) before the package manager reported it installed and healthy"
  end
  return hs
end

hs.message = "Waiting for the package manager: " .. describe(installed) .. ", " .. describe(healthy)
return hs
