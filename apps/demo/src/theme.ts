import { useEffect, useState } from 'react'

export type Theme = 'light' | 'dark'

const KEY = 'voicekit-demo-theme'

function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY)
  if (saved === 'light' || saved === 'dark') return saved
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

/** The page theme, applied through voicekit's .vk-theme-* classes on <html> and remembered. */
export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState(initialTheme)
  useEffect(() => {
    const root = document.documentElement
    root.classList.toggle('vk-theme-dark', theme === 'dark')
    root.classList.toggle('vk-theme-light', theme === 'light')
    root.style.colorScheme = theme
    localStorage.setItem(KEY, theme)
  }, [theme])
  return [theme, setTheme]
}
