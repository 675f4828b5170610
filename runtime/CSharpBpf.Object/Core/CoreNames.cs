using System;

namespace CSharpBpf.Object.Core;

/// <summary>CO-RE naming rules.</summary>
public static class CoreNames
{
    /// <summary>"task_struct___old" → "task_struct": everything from the last "___" on is a flavor, ignored when matching.</summary>
    public static string Essential(string name)
    {
        int i = name.LastIndexOf("___", StringComparison.Ordinal);
        return i > 0 ? name.Substring(0, i) : name;
    }
}
