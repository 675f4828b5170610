using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>
/// A set of BTF types addressed by 1-based id (id 0 is void). Split BTF (a kernel module's
/// /sys/kernel/btf/&lt;module&gt;, split on vmlinux) has a <see cref="Base"/>: its own ids start right
/// after the base's last id and every lookup sees the base's types too.
/// </summary>
public sealed partial class Btf
{
    private readonly List<BtfType> _types = new();
    private Dictionary<string, object>? _byName;

    public Btf() : this(null)
    {
    }

    public Btf(Btf? baseBtf)
    {
        Base = baseBtf;
        FirstId = baseBtf is null ? 1 : baseBtf.LastId + 1;
    }

    /// <summary>The BTF this one is split on (vmlinux for a module), or null.</summary>
    public Btf? Base { get; }

    /// <summary>Id of this BTF's first own type (1, or base's last id + 1).</summary>
    public uint FirstId { get; }

    /// <summary>Largest valid type id (base types included); FirstId - 1 when empty.</summary>
    public uint LastId => FirstId + (uint)_types.Count - 1;

    /// <summary>This BTF's own types, in id order (not the base's).</summary>
    public IReadOnlyList<BtfType> Types => _types;

    /// <summary>The string section this BTF was read from (null when built in memory).</summary>
    public BtfStringTable? Strings { get; internal set; }

    /// <summary>The type with that id (0 = void, base ids resolve in the base).</summary>
    public BtfType this[uint id] => GetType(id);

    public BtfType GetType(uint id)
    {
        if (TryGetType(id, out var t)) return t;
        throw new ArgumentOutOfRangeException(nameof(id), id, $"BTF type id out of range 0..{LastId}");
    }

    public bool TryGetType(uint id, out BtfType type)
    {
        if (id == 0)
        {
            type = BtfVoid.Instance;
            return true;
        }
        if (id < FirstId) return Base!.TryGetType(id, out type);
        uint index = id - FirstId;
        if (index < (uint)_types.Count)
        {
            type = _types[(int)index];
            return true;
        }
        type = null!;
        return false;
    }

    /// <summary>Adds a type (builder API) and assigns its id; returns it for chaining.</summary>
    public T Add<T>(T type) where T : BtfType
    {
        if (type is null) throw new ArgumentNullException(nameof(type));
        if (type.Id != 0 || type is BtfVoid) throw new ArgumentException($"{type} already belongs to a BTF", nameof(type));
        if (_types.Count >= 0x000fffff) throw new InvalidOperationException("BTF holds at most 0xfffff types (BTF_MAX_TYPE)");
        _types.Add(type);
        type.Id = LastId;
        if (_byName is not null) Index(_byName, type);
        return type;
    }

    /// <summary>Pre-sizes the type list (the reader knows roughly how many types follow).</summary>
    internal void ReserveTypes(int count)
    {
        if (count > _types.Capacity) _types.Capacity = count;
    }

    /// <summary>Resolves a string offset of this BTF's string table (as .BTF.ext records hold).</summary>
    public string GetString(uint offset)
    {
        if (Strings is null) throw new InvalidOperationException("this BTF was built in memory and has no string table; write it first");
        return Strings.GetString(offset);
    }

    /// <summary>All types named <paramref name="name"/> (base types first); the index is built on first use.</summary>
    public IReadOnlyList<BtfType> FindAll(string name)
    {
        var result = new List<BtfType>();
        Base?.CollectByName(name, result);
        CollectByName(name, result);
        return result;
    }

    /// <summary>The first type of that name and kind (base first, as libbpf's btf__find_by_name_kind), or null.</summary>
    public BtfType? Find(string name, BtfKind kind)
    {
        var found = Base?.Find(name, kind);
        if (found is not null) return found;
        if (!NameIndex().TryGetValue(name, out var entry)) return null;
        if (entry is BtfType single) return single.Kind == kind ? single : null;
        foreach (var t in (List<BtfType>)entry)
            if (t.Kind == kind) return t;
        return null;
    }

    /// <summary>The first type of that name whose class is <typeparamref name="T"/> (e.g. BtfStruct), or null.</summary>
    public T? Find<T>(string name) where T : BtfType
    {
        var found = Base?.Find<T>(name);
        if (found is not null) return found;
        if (!NameIndex().TryGetValue(name, out var entry)) return null;
        if (entry is BtfType single) return single as T;
        foreach (var t in (List<BtfType>)entry)
            if (t is T typed) return typed;
        return null;
    }

    /// <summary>Id of the first type of that name and kind, or 0 when absent.</summary>
    public uint FindId(string name, BtfKind kind) => Find(name, kind)?.Id ?? 0;

    private void CollectByName(string name, List<BtfType> into)
    {
        if (!NameIndex().TryGetValue(name, out var entry)) return;
        if (entry is BtfType single) into.Add(single);
        else into.AddRange((List<BtfType>)entry);
    }

    // Values are a BtfType (the common case: one type per name) or a List<BtfType>, so the index
    // costs one entry per name rather than one list per name.
    private Dictionary<string, object> NameIndex()
    {
        if (_byName is not null) return _byName;
        var index = new Dictionary<string, object>(_types.Count, StringComparer.Ordinal);
        foreach (var t in _types) Index(index, t);
        return _byName = index;
    }

    private static void Index(Dictionary<string, object> index, BtfType t)
    {
        if (t.IsAnonymous) return;
        string name = t.Name;
        if (!index.TryGetValue(name, out var entry)) index.Add(name, t);
        else if (entry is List<BtfType> list) list.Add(t);
        else index[name] = new List<BtfType> { (BtfType)entry, t };
    }
}
