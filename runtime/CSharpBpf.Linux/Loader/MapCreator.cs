using System;
using System.IO;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.StructOps;

namespace CSharpBpf.Linux.Loader;

/// <summary>Creates (or reuses a pinned) map for a definition, with BTF, initial data and freezing as libbpf does.</summary>
internal static class MapCreator
{
    public static BpfMap Create(MapDefinition def, BpfFd? btfFd, LoadOptions options, StructOpsLayout? structOps, int structOpsModuleBtfFd)
    {
        var spec = def.Spec;
        bool withBtf = btfFd is not null && (def.BtfKeyTypeId != 0 || def.BtfValueTypeId != 0);
        if (withBtf) spec = spec with { BtfFd = btfFd!.Value, BtfKeyTypeId = def.BtfKeyTypeId, BtfValueTypeId = def.BtfValueTypeId };
        if (structOps is not null)
        {
            spec = spec with
            {
                ValueSize = structOps.ValueSize,
                BtfFd = btfFd?.Value ?? 0,
                BtfVmlinuxValueTypeId = structOps.Value.Type.Id,
                ValueTypeBtfObjFd = structOpsModuleBtfFd,
            };
        }

        string? pinPath = def.Pinning == PinningMode.ByName ? Path.Combine(options.PinRoot, def.Name) : null;
        if (pinPath is not null)
        {
            var existing = Pinning.TryGet(pinPath);
            if (existing is not null)
            {
                var reused = BpfMap.FromFd(existing);
                if (reused.Type != spec.Type || reused.KeySize != spec.KeySize || reused.ValueSize != spec.ValueSize || reused.MaxEntries != spec.MaxEntries)
                {
                    reused.Dispose();
                    throw new BpfException($"map '{def.Name}': the map pinned at {pinPath} has a different shape (type/key/value/max_entries); remove the pin or rename the map");
                }
                reused.PinPath = pinPath;
                reused.ReusedPin = true;
                return reused;
            }
        }

        BpfMap map = CreateInner(def, spec, withBtf);
        try
        {
            if (def.InitialData is not null)
            {
                map.Update(BitConverter.GetBytes(0), def.InitialData);
                if (def.Kind == MapKind.Rodata) map.Freeze();
            }
            if (pinPath is not null) map.Pin(pinPath);
            return map;
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    private static BpfMap CreateInner(MapDefinition def, BpfMapSpec spec, bool withBtf)
    {
        BpfMap? innerTemplate = null;
        try
        {
            if (def.InnerMap is not null)
            {
                innerTemplate = BpfMap.Create(def.InnerMap.Spec with { Name = def.InnerMap.Spec.Name.Replace(".inner", "_in") });
                spec = spec with { InnerMapFd = innerTemplate.Fd.Value };
            }
            try
            {
                return BpfMap.Create(spec);
            }
            catch (BpfSyscallException e) when (withBtf && !NeedsBtf(spec.Type) && e.Errno is Errno.EINVAL or Errno.ENOTSUPP or Errno.EOPNOTSUPP)
            {
                // As libbpf: some map types refuse key/value BTF (e.g. a prog_array whose value is a function prototype).
                return BpfMap.Create(spec with { BtfFd = 0, BtfKeyTypeId = 0, BtfValueTypeId = 0 });
            }
        }
        finally
        {
            innerTemplate?.Dispose();
        }
    }

    private static bool NeedsBtf(BpfMapType t) => t is BpfMapType.SkStorage or BpfMapType.InodeStorage or BpfMapType.TaskStorage or BpfMapType.CgrpStorage or BpfMapType.StructOps;
}
