using System.Security.Cryptography;
using System.Text;

namespace Theon.Backends.Cuda.Codegen;

public static class KernelHash
{
    /// <summary>Lower-case hex SHA-256 of the text: kernel names and cache keys.</summary>
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
