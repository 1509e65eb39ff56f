"""Models of the public site, one module per concern."""

from .home import HomeAlert, HomePage, HomeQuickLink
from .menu_page import MenuPage, current_week_start, menu_week_get
from .menus import Course, MenuDish, MenuLabel, MenuWeek, week_monday
from .news import NewsCategory, NewsIndexPage, NewsPage
from .pages import (
    AccessibilityPage,
    ComplianceStatus,
    ContactPage,
    DocumentCategory,
    DocumentLibraryPage,
    LibraryDocument,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)
from .programmes import ProgrammeIndexPage, ProgrammePage
from .simulators import SimulatorPage
from .site_settings import PublicContentVersion, SiteSettings

__all__ = [
    "AccessibilityPage", "ComplianceStatus", "ContactPage", "Course", "DocumentCategory", "DocumentLibraryPage",
    "HomeAlert", "HomePage", "HomeQuickLink", "LibraryDocument", "MenuDish", "MenuLabel", "MenuPage", "MenuWeek",
    "NewsCategory", "NewsIndexPage", "NewsPage", "ProgrammeIndexPage", "ProgrammePage", "PublicContentVersion", "ServiceIndexPage",
    "ServicePage", "SimulatorPage", "SiteSettings", "StandardPage", "current_week_start", "menu_week_get", "week_monday",
]
